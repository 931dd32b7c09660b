//! How network contexts are shown: each address with its role, the `naddress` table, the
//! `vsctl stat` table of network contexts, and the JSON object both print.

use crate::json::{self, Value};
use crate::netaddr::NetAddr;
use crate::network::Network;
use vserver_uapi::NF_PERSISTENT;

/// The role of each address of `addrs` (as the module lists them): the first of a family
/// is its `primary` one, the others are `secondary`; loopback entries are `loopback`.
pub fn roles(addrs: &[NetAddr]) -> Vec<&'static str> {
    let (mut v4, mut v6) = (false, false);
    addrs
        .iter()
        .map(|a| {
            if a.loopback {
                return "loopback";
            }
            let seen = if a.ip.is_ipv4() { &mut v4 } else { &mut v6 };
            if std::mem::replace(seen, true) {
                "secondary"
            } else {
                "primary"
            }
        })
        .collect()
}

/// The names of the `VS_NF_*` flags in `flags`; bits without a name as hex.
pub fn flag_names(flags: u64) -> Vec<String> {
    let mut names = Vec::new();
    if flags & NF_PERSISTENT != 0 {
        names.push("persistent".to_string());
    }
    let rest = flags & !NF_PERSISTENT;
    if rest != 0 {
        names.push(format!("{rest:#x}"));
    }
    names
}

/// Flags for a table: names separated by commas, `-` for none.
fn format_flags(flags: u64) -> String {
    crate::flags::join_names(&flag_names(flags))
}

/// The `naddress` table: one line per address, with its role.
pub fn table(net: &Network) -> String {
    let mut out = format!("{:<43} {}\n", "ADDRESS", "ROLE");
    for (a, role) in net.addrs.iter().zip(roles(&net.addrs)) {
        out.push_str(&format!("{:<43} {role}\n", a.to_string()));
    }
    out
}

/// The addresses in one table cell: `ADDR/PREFIX` separated by commas, loopback entries
/// as `lback=ADDR`; `-` for none.
pub fn format_addrs(addrs: &[NetAddr]) -> String {
    if addrs.is_empty() {
        return "-".to_string();
    }
    let cells: Vec<String> = addrs
        .iter()
        .map(|a| {
            if a.loopback {
                format!("lback={a}")
            } else {
                a.to_string()
            }
        })
        .collect();
    cells.join(",")
}

/// The `vsctl stat` table of network contexts, with a header line.
pub fn stat_table(nets: &[Network]) -> String {
    let mut out = format!(
        "{:>5} {:>5} {:<10} {}\n",
        "NID", "TASKS", "FLAGS", "ADDRESSES"
    );
    for n in nets {
        out.push_str(&format!(
            "{:>5} {:>5} {:<10} {}\n",
            n.nid,
            n.tasks,
            format_flags(n.flags),
            format_addrs(&n.addrs)
        ));
    }
    out
}

/// One network context as a JSON object: `nid`, `tasks`, `flags` (names) and
/// `addresses`, each with `address`, `prefix`, `family` (`ipv4`, `ipv6`) and `role`.
pub fn to_json(net: &Network) -> String {
    let addrs: Vec<String> = net
        .addrs
        .iter()
        .zip(roles(&net.addrs))
        .map(|(a, role)| {
            let family = if a.ip.is_ipv4() { "ipv4" } else { "ipv6" };
            json::object(&[
                ("address", Value::Str(a.ip.to_string())),
                ("prefix", Value::Num(a.prefix.into())),
                ("family", Value::Str(family.into())),
                ("role", Value::Str(role.into())),
            ])
        })
        .collect();
    json::object(&[
        ("nid", Value::Num(net.nid.into())),
        ("tasks", Value::Num(net.tasks.into())),
        ("flags", Value::List(flag_names(net.flags))),
        ("addresses", Value::Raw(format!("[{}]", addrs.join(",")))),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netaddr::{parse_addr, parse_lback};

    fn sample() -> Network {
        Network {
            nid: 100,
            tasks: 2,
            flags: NF_PERSISTENT,
            addrs: vec![
                parse_addr("10.1.0.1/24").unwrap(),
                parse_addr("10.2.0.1").unwrap(),
                parse_addr("fd00::1/64").unwrap(),
                parse_lback("127.0.0.2").unwrap(),
            ],
        }
    }

    #[test]
    fn the_first_address_of_a_family_is_primary() {
        assert_eq!(
            roles(&sample().addrs),
            ["primary", "secondary", "primary", "loopback"]
        );
        assert!(roles(&[]).is_empty());
    }

    #[test]
    fn flags_have_names() {
        assert_eq!(flag_names(0), Vec::<String>::new());
        assert_eq!(flag_names(NF_PERSISTENT), ["persistent"]);
        assert_eq!(flag_names(NF_PERSISTENT | 4), ["persistent", "0x4"]);
        assert_eq!(format_flags(0), "-");
    }

    #[test]
    fn the_naddress_table_has_one_line_per_address() {
        let t = table(&sample());
        let lines: Vec<Vec<&str>> = t.lines().map(|l| l.split_whitespace().collect()).collect();
        assert_eq!(
            lines,
            [
                vec!["ADDRESS", "ROLE"],
                vec!["10.1.0.1/24", "primary"],
                vec!["10.2.0.1/32", "secondary"],
                vec!["fd00::1/64", "primary"],
                vec!["127.0.0.2", "loopback"],
            ]
        );
        let empty = Network {
            addrs: Vec::new(),
            ..sample()
        };
        assert_eq!(table(&empty).lines().count(), 1);
    }

    #[test]
    fn the_stat_table_has_one_line_per_network_context() {
        let other = Network {
            nid: 49152,
            tasks: 0,
            flags: 0,
            addrs: Vec::new(),
        };
        let t = stat_table(&[sample(), other]);
        let lines: Vec<Vec<&str>> = t.lines().map(|l| l.split_whitespace().collect()).collect();
        assert_eq!(
            lines,
            [
                vec!["NID", "TASKS", "FLAGS", "ADDRESSES"],
                vec![
                    "100",
                    "2",
                    "persistent",
                    "10.1.0.1/24,10.2.0.1/32,fd00::1/64,lback=127.0.0.2"
                ],
                vec!["49152", "0", "-", "-"],
            ]
        );
        assert_eq!(stat_table(&[]).lines().count(), 1);
    }

    #[test]
    fn json_lists_the_addresses_with_their_roles() {
        assert_eq!(
            to_json(&sample()),
            r#"{"nid":100,"tasks":2,"flags":["persistent"],"addresses":[{"address":"10.1.0.1","prefix":24,"family":"ipv4","role":"primary"},{"address":"10.2.0.1","prefix":32,"family":"ipv4","role":"secondary"},{"address":"fd00::1","prefix":64,"family":"ipv6","role":"primary"},{"address":"127.0.0.2","prefix":32,"family":"ipv4","role":"loopback"}]}"#
        );
        let empty = Network {
            nid: 3,
            tasks: 0,
            flags: 0,
            addrs: Vec::new(),
        };
        assert_eq!(
            to_json(&empty),
            r#"{"nid":3,"tasks":0,"flags":[],"addresses":[]}"#
        );
    }
}
