//! Interpreter tests against an in-memory router.

use rstest::rstest;

use super::{run, run_logged, Value};
use crate::sim::state::Router;
use crate::sim::version::SimVersion;

/// The script the app installs as a voucher profile's `on-login`.
pub(crate) const VOUCHER_ON_LOGIN: &str = r#":if ([:len [/system scheduler find name="mbx-$user"]] = 0) do={/system scheduler add name="mbx-$user" start-date=[/system clock get date] start-time=[/system clock get time] interval=1d policy=read,write,test on-event="/ip hotspot active remove [find user=\"$user\"]; /ip hotspot user remove [find name=\"$user\"]; /system scheduler remove [find name=\"mbx-$user\"]" comment="VOUCHER_SYSTEM|expiry"}"#;

fn router(version: SimVersion) -> Router {
    let clock = crate::parse::parse_date_time("2026-11-28 10:15:30").expect("clock");
    Router::new(version, clock)
}

fn prop(r: &Router, menu: &str, name: &str, key: &str) -> Option<String> {
    let t = r.table(menu)?;
    t.items[t.find_by("name", name.as_bytes())?].text(key)
}

fn global(r: &Router, name: &str) -> Value {
    r.globals.get(name).cloned().unwrap_or(Value::Nil)
}

fn s(v: &str) -> Value {
    Value::Str(v.to_owned())
}

#[rstest]
#[case(SimVersion::V7_9, "nov/28/2026", "nov/29/2026 10:15:30")]
#[case(SimVersion::V7_17, "2026-11-28", "2026-11-29 10:15:30")]
fn voucher_script_adds_one_scheduler_with_the_user_baked_in(
    #[case] version: SimVersion,
    #[case] date: &str,
    #[case] next_run: &str,
) {
    let mut r = router(version);
    let vars = [("user", s("v-1001"))];
    run(&mut r, VOUCHER_ON_LOGIN, &vars).expect("first login");
    run(&mut r, VOUCHER_ON_LOGIN, &vars).expect("second login");
    let t = r.table("/system/scheduler").expect("table");
    assert_eq!(t.items.len(), 1, "the second login adds nothing");
    let get = |k: &str| prop(&r, "/system/scheduler", "mbx-v-1001", k);
    assert_eq!(get("start-date").as_deref(), Some(date));
    assert_eq!(get("start-time").as_deref(), Some("10:15:30"));
    assert_eq!(get("interval").as_deref(), Some("1d"));
    assert_eq!(get("policy").as_deref(), Some("read,write,test"));
    assert_eq!(get("next-run").as_deref(), Some(next_run));
    assert_eq!(get("comment").as_deref(), Some("VOUCHER_SYSTEM|expiry"));
    assert_eq!(
        get("on-event").as_deref(),
        Some(
            "/ip hotspot active remove [find user=\"v-1001\"]; /ip hotspot user remove \
             [find name=\"v-1001\"]; /system scheduler remove [find name=\"mbx-v-1001\"]"
        )
    );
}

#[test]
fn strings_interpolate_and_unescape() {
    let mut r = router(SimVersion::V7_17);
    let src = r#":local a "x"; :global g "q\"b\\c\$d $a-$"mac-address" $[:len "abc"] $("p" . $a)"; :global h $"mac-address""#;
    let vars = [("mac-address", s("AA:BB"))];
    let err = run(&mut r, src, &vars).expect_err("$\"name\" inside a string");
    assert!(err.message.contains("unsupported $"), "{}", err.message);
    let src = r#":local a "x"; :global g "q\"b\\c\$d $a- $[:len "abc"] $("p" . $a)"; :global h $"mac-address""#;
    run(&mut r, src, &vars).expect("runs");
    assert_eq!(global(&r, "g"), s("q\"b\\c$d x- 3 px"));
    assert_eq!(global(&r, "h"), s("AA:BB"));
}

#[test]
fn conditions_blocks_and_scopes() {
    let mut r = router(SimVersion::V7_17);
    let src = r#"
        :global out ""
        :local n [:len "abcd"]
        :if ($n = 4 and !($n > 4) && ($n < 5 or false)) do={ :set out "yes" } else={ :set out "no" }
        :if ($n != 4) do={ :set out "wrong" }
        { :local inner 1; :set out ($out . "-" . $inner) }
        :if ("1d" = 1d && 2h > 90m && ("b" > "a")) do={ :set out ($out . "-times") }
        :if ([:len [/ip hotspot user find]] = 1) do={ :set out ($out . "-trial") }
    "#;
    run(&mut r, src, &[]).expect("runs");
    assert_eq!(global(&r, "out"), s("yes-1-times-trial"));
    let err = run(&mut r, "{ :local x 1 }\n:global y $x", &[]).expect_err("out of scope");
    assert_eq!(err.message, "undefined variable $x");
    let err = run(&mut r, ":if (\"x\") do={}", &[]).expect_err("not a bool");
    assert!(err.message.contains("needs a bool"), "{}", err.message);
}

#[test]
fn menu_commands_find_set_remove_and_get_through_the_tables() {
    let mut r = router(SimVersion::V7_17);
    let src = r#"
        /ip hotspot user profile add name=1day shared-users=2
        /ip/hotspot/user add name=a profile=1day comment=batch
        /ip hotspot user
        add name=b comment="batch"
        add name=c
        set [find where comment="batch" and name!="a"] comment=sold
        remove [find name="nobody"]
        disable [find name=c]
        :global count [:len [find where disabled=yes]]
        :global shared [/ip hotspot user profile get [find name=1day] shared-users]
        :global clock [/system clock get time]
        /system identity set name=("hs-" . [/system identity get name])
    "#;
    run(&mut r, src, &[]).expect("runs");
    let hs = "/ip/hotspot/user";
    assert_eq!(prop(&r, hs, "a", "comment").as_deref(), Some("batch"));
    assert_eq!(prop(&r, hs, "b", "comment").as_deref(), Some("sold"));
    assert_eq!(prop(&r, hs, "c", "disabled").as_deref(), Some("true"));
    assert_eq!(global(&r, "count"), Value::Num(1));
    assert_eq!(global(&r, "shared"), Value::Num(2));
    assert_eq!(global(&r, "clock").text(";"), "10:15:30");
    assert_eq!(r.identity, b"hs-MikroTik");
    run(
        &mut r,
        "/ip hotspot user remove [find where name~\"a\"]",
        &[],
    )
    .expect_err("regex match is not supported");
    run(&mut r, "/ip hotspot user remove [find profile=1day]", &[]).expect("remove");
    assert!(prop(&r, hs, "a", "name").is_none());
}

#[test]
fn a_runtime_error_stops_the_rest_and_table_rules_apply() {
    let mut r = router(SimVersion::V7_17);
    let src = r#"/system scheduler add name=x on-event=":log info hi"
/system scheduler add name=x
:log info "after""#;
    let err = run(&mut r, src, &[]).expect_err("duplicate");
    assert_eq!(err.message, "failure: item with such name already exists");
    assert!(
        r.table("/log").expect("log").items.is_empty(),
        "nothing after"
    );
    assert_eq!(r.table("/system/scheduler").expect("t").items.len(), 1);
    let err = run(&mut r, "/ip hotspot user add name=z profile=nope", &[]).expect_err("ref");
    assert_eq!(err.message, "input does not match any value of profile");
    let err = run(
        &mut r,
        "/system scheduler add name=y policy=read,wirte",
        &[],
    )
    .expect_err("bad policy");
    assert!(err.message.contains("policy"), "{}", err.message);
}

#[rstest]
#[case(":while (true) do={}", "unsupported command :while")]
#[case(":delay 1s", "unsupported command :delay")]
#[case("/ip hotspot user add name=mbx-$user", "quote the whole value")]
#[case("/ip hotspot walled-garden add dst-host=x", "no such command")]
#[case(
    "/system scheduler export",
    "unsupported command /system/scheduler export"
)]
#[case(":if ($a == 1) do={}", "== is not an operator")]
#[case(":if (1.5 > 1) do={}", "must be quoted")]
#[case(":log info \"x\\q\"", "unsupported escape")]
#[case(":log info \"open", "unterminated string")]
#[case("{ :log info x", "missing closing }")]
#[case("/ip hotspot user print ]", "unexpected ]")]
fn unsupported_syntax_fails_before_anything_runs(#[case] tail: &str, #[case] want: &str) {
    let mut r = router(SimVersion::V7_17);
    let src = format!(":log info \"before\"\n{tail}");
    let err = run(&mut r, &src, &[("user", s("u"))]).expect_err("rejected");
    assert!(
        err.message.starts_with("syntax error (line "),
        "{}",
        err.message
    );
    assert!(err.message.contains(want), "{}", err.message);
    assert!(
        r.table("/log").expect("log").items.is_empty(),
        "no statement ran"
    );
}

#[test]
fn scripts_the_router_starts_log_their_failure() {
    let mut r = router(SimVersion::V7_9);
    run_logged(&mut r, ":log warning \"low\"", "scheduler (a)", &[]).expect("ok");
    run_logged(&mut r, ":while (true) do={}", "scheduler (b)", &[]).expect_err("bad");
    let log = &r.table("/log").expect("log").items;
    let line = |i: usize| {
        (
            log[i].text("topics").unwrap_or_default(),
            log[i].text("message").unwrap_or_default(),
        )
    };
    assert_eq!(line(0), ("script,warning".into(), "low".into()));
    let (topics, message) = line(1);
    assert_eq!(topics, "script,error");
    assert!(
        message.starts_with("executing script from scheduler (b) failed: syntax error"),
        "{message}"
    );
    assert_eq!(log[1].text("time").as_deref(), Some("nov/28/2026 10:15:30"));
}

#[test]
fn text_numbers_and_loops_for_date_scripts() {
    let mut r = router(SimVersion::V7_17);
    let src = r#"
        :global out ""
        :local d "jul/14/2023"
        :local mo (([:find "janfebmaraprmayjunjulaugsepoctnovdec" [:pick $d 0 3]] / 3) + 1)
        :set out ($mo . "," . [:tonum [:pick $d 4 6]] . "," . [:pick $d 3] . "," . [:typeof [:find $d "x"]])
        :set out ($out . "," . ((7 - 10) * 3) . "," . (17 / 5) . "," . [:tonum "08"] . "," . [:tostr 01:02:03])
        :foreach u in=[/ip hotspot user find] do={ :set out ($out . "," . [/ip hotspot user get $u name]) }
        :set out ($out . "," . [:pick [:tostr (100 + 7)] 1 3] . "," . [:typeof [:tonum "x"]])
        :local v 86400
        :set out ($out . "," . ($v + 1) . "," . [:typeof $v])
    "#;
    run(&mut r, src, &[]).expect("runs");
    assert_eq!(
        global(&r, "out"),
        s("7,14,/,nil,-9,3,8,01:02:03,default-trial,07,nil,86401,num")
    );
    let err = run(&mut r, ":local x (1 / 0)", &[]).expect_err("division by zero");
    assert_eq!(err.message, "division by zero");
}
