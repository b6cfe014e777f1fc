//! A PHPNuxBill `mysqldump` file (made here, in mysqldump's own syntax).

use billing_tests::*;
use serde_json::json;

use super::{count, outcome, step, upload};

const DUMP: &str = r#"-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `tbl_customers`;
CREATE TABLE `tbl_customers` (
  `id` int(10) NOT NULL AUTO_INCREMENT,
  `username` varchar(45) NOT NULL,
  `password` varchar(45) NOT NULL,
  `pppoe_password` varchar(45) NOT NULL DEFAULT '' COMMENT 'For PPPOE Login',
  `fullname` varchar(45) NOT NULL,
  `address` mediumtext,
  `phonenumber` varchar(20) DEFAULT '0',
  `email` varchar(128) NOT NULL DEFAULT '1',
  `balance` decimal(15,2) NOT NULL DEFAULT '0.00' COMMENT 'For Money Deposit',
  `service_type` enum('Hotspot','PPPoE','Others') DEFAULT 'Others',
  `created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4;
LOCK TABLES `tbl_customers` WRITE;
/*!40000 ALTER TABLE `tbl_customers` DISABLE KEYS */;
INSERT INTO `tbl_customers` VALUES (1,'budi','web-pass','pppoe-rahasia','Budi O\'Neil','Jl. Mawar; No. 1\nRT 02','081234567890','budi@example.com',25000.00,'PPPoE','2025-01-02 10:00:00'),(2,'siti','x','','Siti','','0','1',0.00,'PPPoE','2025-01-03 10:00:00'),(3,'andi','andi-pass','','Andi \"AJ\" Jaya',NULL,'6281298765432','1',0.00,'Hotspot','2025-01-04 10:00:00');
/*!40000 ALTER TABLE `tbl_customers` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `tbl_plans`;
CREATE TABLE `tbl_plans` (
  `id` int(10) NOT NULL AUTO_INCREMENT,
  `name_plan` varchar(40) NOT NULL,
  `id_bw` int(10) NOT NULL,
  `price` varchar(40) NOT NULL,
  `type` enum('Hotspot','PPPOE','Balance') NOT NULL,
  `validity` int(10) NOT NULL,
  `validity_unit` enum('Mins','Hrs','Days','Months','Period') NOT NULL,
  `routers` varchar(32) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `tbl_plans` VALUES (1,'PPPoE 10M',1,'150000','PPPOE',1,'Months','Kantor'),(2,'Saldo 50rb',0,'50000','Balance',0,'Months','');
DROP TABLE IF EXISTS `tbl_user_recharges`;
CREATE TABLE `tbl_user_recharges` (
  `id` int(10) NOT NULL AUTO_INCREMENT,
  `customer_id` int(10) NOT NULL,
  `username` varchar(32) NOT NULL,
  `plan_id` int(10) NOT NULL,
  `namebp` varchar(40) NOT NULL,
  `recharged_on` date NOT NULL,
  `recharged_time` time NOT NULL DEFAULT '00:00:00',
  `expiration` date NOT NULL,
  `time` time NOT NULL,
  `status` varchar(20) NOT NULL,
  `method` varchar(128) NOT NULL DEFAULT '',
  `routers` varchar(32) NOT NULL,
  `type` varchar(15) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `tbl_user_recharges` VALUES (1,1,'budi',1,'PPPoE 10M','2026-11-01','08:00:00','2026-12-01','08:00:00','on','admin - Cash','Kantor','PPPOE'),(2,3,'andi',1,'PPPoE 10M','2026-09-01','08:00:00','2026-10-01','08:00:00','off','admin - Cash','Kantor','PPPOE');
INSERT INTO `tbl_transactions` (`id`, `invoice`, `username`) VALUES (1,'INV-1','budi'),(2,'INV-2','andi');
"#;

#[tokio::test]
async fn phpnuxbill_dump_brings_customers_plans_recharges_and_balances() {
    let app = spawn_app().await;
    let record = upload(
        &app,
        "/api/imports/phpnuxbill",
        "phpnuxbill.sql",
        DUMP.as_bytes(),
    )
    .await;
    assert_eq!(record["source"], "phpnuxbill");
    assert_eq!(record["row_count"], 3);
    let notes = record["notes"].to_string();
    assert!(notes.contains("expired or inactive recharge"), "{notes}");
    assert!(notes.contains("Balance"), "{notes}");
    assert!(notes.contains("tbl_transactions"), "{notes}");
    let id = record["id"].as_str().expect("id").to_owned();

    let opts = json!({"options": {"create_missing_plans": true}});
    let dry = step(&app, &id, "dry-run", opts.clone()).await;
    assert_eq!(
        outcome(&dry),
        vec![
            (1, "ok".into(), vec![]),
            (2, "error".into(), vec!["phone".to_owned()]),
            (3, "ok".into(), vec![]),
        ]
    );
    assert_eq!(count(&app, "customers").await, 0);

    let done = step(&app, &id, "commit", opts.clone()).await;
    assert_eq!(done["totals"]["imported"], 2);
    assert_eq!(done["totals"]["subscriptions"], 1);
    assert_eq!(done["totals"]["credit"], 25_000);
    let pool = app.pool().await;
    let (name, address, notes): (String, String, String) =
        sqlx::query_as("select name, address, notes from customers where phone = '6281234567890'")
            .fetch_one(&pool)
            .await
            .expect("budi");
    assert_eq!(name, "Budi O'Neil");
    assert_eq!(address, "Jl. Mawar; No. 1\nRT 02");
    assert!(notes.contains("budi@example.com"), "{notes}");
    let (login, start_on, plan): (String, chrono::NaiveDate, String) = sqlx::query_as(
        "select s.login, s.start_on, p.name from subscriptions s join plans p on p.id = s.plan_id",
    )
    .fetch_one(&pool)
    .await
    .expect("subscription");
    assert_eq!(login, "budi");
    assert_eq!(plan, "PPPoE 10M");
    // Paid through the recharge's expiration: billing starts there.
    assert!(start_on >= chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"));
    let andi: String =
        sqlx::query_scalar("select name from customers where phone = '6281298765432'")
            .fetch_one(&pool)
            .await
            .expect("andi");
    assert_eq!(andi, "Andi \"AJ\" Jaya");
    let credit: i64 = sqlx::query_scalar(
        "select coalesce(sum(delta), 0)::bigint from ledger_entries where reason = 'adjustment'",
    )
    .fetch_one(&pool)
    .await
    .expect("ledger");
    assert_eq!(credit, 25_000);

    // The same dump again brings nothing new.
    let again = upload(
        &app,
        "/api/imports/phpnuxbill",
        "phpnuxbill.sql",
        DUMP.as_bytes(),
    )
    .await;
    let done = step(&app, again["id"].as_str().expect("id"), "commit", opts).await;
    assert_eq!(done["totals"]["imported"], 0);
    assert_eq!(count(&app, "customers").await, 2);
    assert_eq!(count(&app, "subscriptions").await, 1);
}
