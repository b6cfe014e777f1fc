//! The menus the simulator models: properties, defaults, built-in items and error strings.

/// How a property may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Write,
    Read,
}

/// The value type, used to validate and normalise input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Str,
    Bool,
    Int,
    Time,
    /// A duration or `none`.
    TimeOrNone,
    /// An IPv4 address.
    Ip,
    /// A date, printed in the version's format (`nov/28/2026` or `2026-11-28`).
    Date,
    /// `HH:MM:SS` or `startup` (scheduler `start-time`).
    StartTime,
    /// A comma-separated list of script policies.
    Policy,
}

#[derive(Debug)]
pub(crate) struct Prop {
    pub name: &'static str,
    pub default: Option<&'static str>,
    pub access: Access,
    pub ty: Ty,
}

const fn w(name: &'static str, ty: Ty, default: Option<&'static str>) -> Prop {
    Prop {
        name,
        default,
        access: Access::Write,
        ty,
    }
}

const fn r(name: &'static str, ty: Ty, default: Option<&'static str>) -> Prop {
    Prop {
        name,
        default,
        access: Access::Read,
        ty,
    }
}

/// One menu (table) of the simulated router.
#[derive(Debug)]
pub(crate) struct Schema {
    pub path: &'static str,
    pub props: &'static [Prop],
    /// Property whose value must be unique, with the duplicate error message.
    pub unique: Option<(&'static str, &'static str)>,
    /// `(property, menu)` pairs whose value must name an item of the menu.
    pub refs: &'static [(&'static str, &'static str)],
    pub can_add: bool,
    pub can_set: bool,
    pub can_remove: bool,
    /// Built-in items as `(property, value)` lists; they cannot be removed.
    pub builtins: &'static [&'static [(&'static str, &'static str)]],
}

impl Schema {
    pub fn prop(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }
}

use Ty::*;

pub(crate) static HOTSPOT_USER: Schema = Schema {
    path: "/ip/hotspot/user",
    props: &[
        w("server", Str, Some("all")),
        w("name", Str, None),
        w("password", Str, None),
        w("profile", Str, Some("default")),
        w("mac-address", Str, None),
        w("address", Ip, None),
        w("email", Str, None),
        w("routes", Str, None),
        w("limit-uptime", Time, None),
        w("limit-bytes-in", Int, None),
        w("limit-bytes-out", Int, None),
        w("limit-bytes-total", Int, None),
        w("otp-secret", Str, None),
        r("uptime", Time, Some("0s")),
        r("bytes-in", Int, Some("0")),
        r("bytes-out", Int, Some("0")),
        r("packets-in", Int, Some("0")),
        r("packets-out", Int, Some("0")),
        r("dynamic", Bool, Some("false")),
        r("default", Bool, None),
        w("disabled", Bool, Some("false")),
        w("comment", Str, None),
    ],
    unique: Some((
        "name",
        "failure: already have user with this name for this server",
    )),
    refs: &[("profile", "/ip/hotspot/user/profile")],
    can_add: true,
    can_set: true,
    can_remove: true,
    builtins: &[&[
        ("name", "default-trial"),
        ("default", "true"),
        ("comment", "counters and limits for trial users"),
    ]],
};

pub(crate) static HOTSPOT_PROFILE: Schema = Schema {
    path: "/ip/hotspot/user/profile",
    props: &[
        w("name", Str, None),
        w("address-pool", Str, Some("none")),
        w("idle-timeout", TimeOrNone, Some("none")),
        w("keepalive-timeout", TimeOrNone, Some("2m")),
        w("status-autorefresh", TimeOrNone, Some("1m")),
        w("shared-users", Int, Some("1")),
        w("add-mac-cookie", Bool, Some("true")),
        w("mac-cookie-timeout", Time, Some("3d")),
        w("session-timeout", Time, None),
        w("rate-limit", Str, None),
        w("address-list", Str, None),
        w("transparent-proxy", Bool, Some("false")),
        w("open-status-page", Str, Some("always")),
        w("on-login", Str, None),
        w("on-logout", Str, None),
        w("incoming-filter", Str, None),
        w("outgoing-filter", Str, None),
        r("default", Bool, Some("false")),
    ],
    unique: Some(("name", "failure: already have profile with this name")),
    refs: &[],
    can_add: true,
    can_set: true,
    can_remove: true,
    builtins: &[&[("name", "default"), ("default", "true")]],
};

pub(crate) static HOTSPOT_ACTIVE: Schema = Schema {
    path: "/ip/hotspot/active",
    props: &[
        r("server", Str, None),
        r("user", Str, None),
        r("domain", Str, None),
        r("address", Str, None),
        r("mac-address", Str, None),
        r("login-by", Str, None),
        r("uptime", Time, Some("0s")),
        r("idle-time", Time, Some("0s")),
        r("session-time-left", Time, None),
        r("idle-timeout", TimeOrNone, None),
        r("keepalive-timeout", TimeOrNone, Some("2m")),
        r("bytes-in", Int, Some("0")),
        r("bytes-out", Int, Some("0")),
        r("packets-in", Int, Some("0")),
        r("packets-out", Int, Some("0")),
        r("radius", Bool, Some("false")),
        w("comment", Str, None),
    ],
    unique: None,
    refs: &[],
    can_add: false,
    can_set: false,
    can_remove: true,
    builtins: &[],
};

pub(crate) static PPP_SECRET: Schema = Schema {
    path: "/ppp/secret",
    props: &[
        w("name", Str, None),
        w("service", Str, Some("any")),
        w("caller-id", Str, Some("")),
        w("password", Str, Some("")),
        w("profile", Str, Some("default")),
        w("local-address", Ip, None),
        w("remote-address", Ip, None),
        w("routes", Str, Some("")),
        w("limit-bytes-in", Int, Some("0")),
        w("limit-bytes-out", Int, Some("0")),
        w("remote-ipv6-prefix", Str, None),
        r("last-logged-out", Str, None),
        r("last-caller-id", Str, None),
        r("last-disconnect-reason", Str, None),
        w("disabled", Bool, Some("false")),
        w("comment", Str, None),
    ],
    unique: Some(("name", "failure: secret with the same name already exists")),
    refs: &[("profile", "/ppp/profile")],
    can_add: true,
    can_set: true,
    can_remove: true,
    builtins: &[],
};

pub(crate) static PPP_PROFILE: Schema = Schema {
    path: "/ppp/profile",
    props: &[
        w("name", Str, None),
        w("local-address", Str, None),
        w("remote-address", Str, None),
        w("bridge-learning", Str, Some("default")),
        w("use-ipv6", Str, Some("yes")),
        w("use-mpls", Str, Some("default")),
        w("use-compression", Str, Some("default")),
        w("use-encryption", Str, Some("default")),
        w("only-one", Str, Some("default")),
        w("change-tcp-mss", Str, Some("yes")),
        w("use-upnp", Str, Some("default")),
        w("address-list", Str, Some("")),
        w("rate-limit", Str, None),
        w("session-timeout", Time, None),
        w("idle-timeout", TimeOrNone, None),
        w("dns-server", Str, None),
        w("on-up", Str, Some("")),
        w("on-down", Str, Some("")),
        w("comment", Str, None),
        r("default", Bool, Some("false")),
    ],
    unique: Some(("name", "failure: profile with the same name already exists")),
    refs: &[],
    can_add: true,
    can_set: true,
    can_remove: true,
    builtins: &[
        &[("name", "default"), ("default", "true")],
        &[
            ("name", "default-encryption"),
            ("use-encryption", "yes"),
            ("default", "true"),
        ],
    ],
};

pub(crate) static PPP_ACTIVE: Schema = Schema {
    path: "/ppp/active",
    props: &[
        r("name", Str, None),
        r("service", Str, None),
        r("caller-id", Str, None),
        r("encoding", Str, Some("")),
        r("address", Str, None),
        r("uptime", Time, Some("0s")),
        r("session-id", Str, None),
        r("limit-bytes-in", Int, Some("0")),
        r("limit-bytes-out", Int, Some("0")),
        r("radius", Bool, Some("false")),
        w("comment", Str, None),
    ],
    unique: None,
    refs: &[],
    can_add: false,
    can_set: false,
    can_remove: true,
    builtins: &[],
};

pub(crate) static INTERFACE: Schema = Schema {
    path: "/interface",
    props: &[
        r("name", Str, None),
        r("default-name", Str, None),
        r("type", Str, None),
        r("mtu", Str, Some("1500")),
        r("actual-mtu", Int, Some("1500")),
        r("mac-address", Str, None),
        r("last-link-up-time", Str, None),
        r("rx-byte", Int, Some("0")),
        r("tx-byte", Int, Some("0")),
        r("rx-packet", Int, Some("0")),
        r("tx-packet", Int, Some("0")),
        r("running", Bool, Some("true")),
        r("dynamic", Bool, Some("false")),
        w("disabled", Bool, Some("false")),
        w("comment", Str, None),
    ],
    unique: None,
    refs: &[],
    can_add: false,
    can_set: true,
    can_remove: false,
    builtins: &[
        &[
            ("name", "ether1"),
            ("default-name", "ether1"),
            ("type", "ether"),
            ("mac-address", "4C:5E:0C:00:00:01"),
        ],
        &[
            ("name", "ether2"),
            ("default-name", "ether2"),
            ("type", "ether"),
            ("mac-address", "4C:5E:0C:00:00:02"),
        ],
        &[
            ("name", "ether3"),
            ("default-name", "ether3"),
            ("type", "ether"),
            ("mac-address", "4C:5E:0C:00:00:03"),
        ],
        &[
            ("name", "ether4"),
            ("default-name", "ether4"),
            ("type", "ether"),
            ("mac-address", "4C:5E:0C:00:00:04"),
        ],
        &[
            ("name", "ether5"),
            ("default-name", "ether5"),
            ("type", "ether"),
            ("mac-address", "4C:5E:0C:00:00:05"),
        ],
    ],
};

/// Script policies a scheduler may hold.
pub(crate) const POLICIES: [&str; 11] = [
    "ftp",
    "reboot",
    "read",
    "write",
    "policy",
    "test",
    "password",
    "sniff",
    "sensitive",
    "romon",
    "dude",
];

pub(crate) static SCHEDULER: Schema = Schema {
    path: "/system/scheduler",
    props: &[
        w("name", Str, None),
        w("start-date", Date, None),
        w("start-time", StartTime, None),
        w("interval", Time, Some("0s")),
        w("on-event", Str, Some("")),
        r("owner", Str, None),
        w(
            "policy",
            Policy,
            Some("ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon"),
        ),
        r("run-count", Int, Some("0")),
        r("next-run", Str, None),
        w("disabled", Bool, Some("false")),
        w("comment", Str, None),
    ],
    unique: Some(("name", "failure: item with such name already exists")),
    refs: &[],
    can_add: true,
    can_set: true,
    can_remove: true,
    builtins: &[],
};

/// `/log`: what scripts (and the simulator) logged, oldest first.
pub(crate) static LOG: Schema = Schema {
    path: "/log",
    props: &[
        r("time", Str, None),
        r("topics", Str, None),
        r("message", Str, None),
    ],
    unique: None,
    refs: &[],
    can_add: false,
    can_set: false,
    can_remove: false,
    builtins: &[],
};

/// Menus without items (one row, no `.id`), answered by `print` and `get`.
pub(crate) const SINGLETONS: [&str; 3] = ["/system/clock", "/system/identity", "/system/resource"];

/// All tables, in the order they are created.
pub(crate) static TABLES: [&Schema; 9] = [
    &HOTSPOT_PROFILE,
    &HOTSPOT_USER,
    &HOTSPOT_ACTIVE,
    &PPP_PROFILE,
    &PPP_SECRET,
    &PPP_ACTIVE,
    &INTERFACE,
    &SCHEDULER,
    &LOG,
];
