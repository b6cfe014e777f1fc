//! The scheduled jobs' names in the owner's words.

/// A job's name as the owner knows it (Indonesian; the code name is in the table).
pub fn job_words(name: &str) -> String {
    match name {
        "billing" => "penagihan bulanan",
        "payments_check" => "cek pembayaran online",
        "shop_delivery" => "kirim voucher toko online",
        "voucher_monitor" => "pemantau voucher",
        "router_delivery" => "kirim perintah router",
        "router_status" => "status router",
        "reconcile" => "rekonsiliasi router",
        "profile_sync" => "sinkron profil router",
        "whatsapp_health" => "cek sesi WhatsApp",
        "reminders" => "pengingat tagihan",
        "backup" => "pencadangan",
        "retention" => "pembersihan data lama",
        "router_samples" => "grafik router",
        "alerts" => "peringatan",
        "sessions_purge" => "hapus sesi login kedaluwarsa",
        other => other,
    }
    .to_owned()
}
