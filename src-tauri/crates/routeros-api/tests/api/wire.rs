//! Exact sentences the simulator sends, as a third-party client would see them.

use routeros_api::sim::SimVersion;

use super::raw::Raw;
use super::{sim, sim_version};

#[tokio::test]
async fn tag_is_echoed_only_when_the_command_sent_one() {
    let sim = sim().await;
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/system/identity/print", ".tag=abc"]).await;
    assert_eq!(r.recv().await, ["!re", "=name=MikroTik", ".tag=abc"]);
    assert_eq!(r.recv().await, ["!done", ".tag=abc"]);
    r.send(&["/system/identity/print", ".tag="]).await;
    assert_eq!(r.recv().await, ["!re", "=name=MikroTik"]);
    assert_eq!(r.recv().await, ["!done"]);
}

#[tokio::test]
async fn empty_print_sends_empty_then_done_only_from_7_18() {
    let new = sim_version(SimVersion::V7_18).await;
    let mut r = Raw::login(new.addr()).await;
    r.send(&["/ppp/secret/print", ".tag=5"]).await;
    assert_eq!(
        r.until_done().await,
        [vec!["!empty", ".tag=5"], vec!["!done", ".tag=5"]]
    );

    let old = sim_version(SimVersion::V7_17).await;
    let mut r = Raw::login(old.addr()).await;
    r.send(&["/ppp/secret/print"]).await;
    assert_eq!(r.until_done().await, [vec!["!done"]]);
}

#[tokio::test]
async fn add_returns_ret_id_and_trap_is_followed_by_done() {
    let sim = sim().await;
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/ip/hotspot/user/add", "=name=u1", "=password=p"])
        .await;
    assert_eq!(r.recv().await, ["!done", "=ret=*2"]);
    r.send(&["/ip/hotspot/user/add", "=name=u1", "=password=p"])
        .await;
    assert_eq!(
        r.until_done().await,
        [
            vec![
                "!trap",
                "=message=failure: already have user with this name for this server"
            ],
            vec!["!done"]
        ]
    );
    r.send(&["/ip/hotspot/user/add", "=name=u2", "=profile=nope"])
        .await;
    assert_eq!(
        r.until_done().await,
        [
            vec![
                "!trap",
                "=category=1",
                "=message=input does not match any value of profile"
            ],
            vec!["!done"]
        ]
    );
}

#[tokio::test]
async fn count_only_proplist_and_queries() {
    let sim = sim().await;
    sim.seed_hotspot_users("v", 5).expect("seed");
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/ip/hotspot/user/print", "=count-only="]).await;
    assert_eq!(r.recv().await, ["!done", "=ret=6"]); // 5 + built-in default-trial
    r.send(&[
        "/ip/hotspot/user/print",
        "=.proplist=name",
        "?=name=v1",
        "?name=v3",
        "?#|",
    ])
    .await;
    assert_eq!(
        r.until_done().await,
        [
            vec!["!re", "=name=v1"],
            vec!["!re", "=name=v3"],
            vec!["!done"]
        ]
    );
    r.send(&[
        "/ip/hotspot/user/print",
        "=.proplist=.id,name",
        "?-default",
        "?>name=v3",
    ])
    .await;
    assert_eq!(
        r.until_done().await,
        [vec!["!re", "=.id=*6", "=name=v4"], vec!["!done"]]
    );
}

#[tokio::test]
async fn unknown_menus_and_commands_are_trapped() {
    let sim = sim().await;
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/ip/nothing/print"]).await;
    assert_eq!(
        r.recv().await,
        ["!trap", "=category=0", "=message=no such command prefix"]
    );
    assert_eq!(r.recv().await, ["!done"]);
    r.send(&["/ip/hotspot/active/add", "=user=x"]).await;
    assert_eq!(
        r.recv().await,
        ["!trap", "=category=0", "=message=no such command"]
    );
    assert_eq!(r.recv().await, ["!done"]);
    r.send(&["/ppp/secret/remove", "=.id=*99"]).await;
    assert_eq!(r.recv().await, ["!trap", "=message=no such item (4)"]);
    assert_eq!(r.recv().await, ["!done"]);
}

#[tokio::test]
async fn v6_errors_have_no_numeric_suffix() {
    let sim = sim_version(SimVersion::V6_49).await;
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/ppp/secret/remove", "=.id=*99"]).await;
    assert_eq!(r.recv().await, ["!trap", "=message=no such item"]);
}

#[tokio::test]
async fn cancel_ends_a_listen_with_interrupted_in_the_documented_order() {
    let sim = sim().await;
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/ip/hotspot/active/listen", ".tag=2"]).await;
    r.send(&["/cancel", "=tag=2", ".tag=7"]).await;
    assert_eq!(
        r.recv().await,
        ["!trap", "=category=2", "=message=interrupted", ".tag=2"]
    );
    assert_eq!(r.recv().await, ["!done", ".tag=7"]);
    assert_eq!(r.recv().await, ["!done", ".tag=2"]);
}

#[tokio::test]
async fn quit_answers_fatal_with_a_bare_reason_and_closes() {
    let sim = sim().await;
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/quit"]).await;
    assert_eq!(r.recv().await, ["!fatal", "session terminated on request"]);
    assert_eq!(r.recv().await, ["<closed>"]);
}

#[tokio::test]
async fn commands_before_login_are_refused() {
    let sim = sim().await;
    let mut r = Raw::connect(sim.addr()).await;
    r.send(&["/system/identity/print"]).await;
    assert_eq!(r.recv().await, ["!trap", "=message=not logged in"]);
    assert_eq!(r.recv().await, ["!done"]);
}

#[tokio::test]
async fn builtin_defaults_exist_like_on_a_fresh_router() {
    let sim = sim().await;
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/ppp/profile/print", "=.proplist=name"]).await;
    assert_eq!(
        r.until_done().await,
        [
            vec!["!re", "=name=default"],
            vec!["!re", "=name=default-encryption"],
            vec!["!done"]
        ]
    );
    r.send(&[
        "/ip/hotspot/user/profile/print",
        "=.proplist=name,shared-users",
    ])
    .await;
    assert_eq!(
        r.until_done().await,
        [
            vec!["!re", "=name=default", "=shared-users=1"],
            vec!["!done"]
        ]
    );
    r.send(&["/ip/hotspot/user/profile/remove", "=.id=default"])
        .await;
    assert_eq!(r.recv().await[0], "!trap");
}
