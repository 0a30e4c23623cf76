//! Who may edit content through `serve`: only serve's own pages, in a browser on this
//! machine (or, with `--allow-remote-editing`, on the network serve was told to trust).
//!
//! A request to the edit endpoint must carry:
//! - a `Host` that names the address serve listens on by IP literal, or `localhost` on
//!   loopback, with serve's port: a DNS-rebinding page (`http://evil.example:1111/`) sends
//!   its own host name and is refused;
//! - an `Origin` equal to `http://` + that host: another site's page cannot post;
//! - the per-process random token that serve writes into its pages, in `X-Chorus-Token`:
//!   a page that cannot read serve's pages cannot learn it.

use std::net::{IpAddr, SocketAddr};

use axum::http::{HeaderMap, header};

/// The header that carries the token.
pub const TOKEN_HEADER: &str = "x-chorus-token";

/// Whether and from where editing is allowed.
#[derive(Debug)]
pub struct EditAccess {
    /// The address serve listens on.
    local: SocketAddr,
    /// The token serve's pages carry; `None` when editing is off.
    token: Option<String>,
}

impl EditAccess {
    /// The access for a server listening on `local`. Editing is off on an address other
    /// machines can reach unless `allow_remote` says otherwise. An error if the system has
    /// no source of random numbers for the token.
    pub fn new(local: SocketAddr, allow_remote: bool) -> Result<EditAccess, getrandom::Error> {
        let enabled = local.ip().is_loopback() || allow_remote;
        let token = if enabled { Some(random_token()?) } else { None };
        Ok(EditAccess { local, token })
    }

    /// The token for serve's pages, when editing is on.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Whether a request with `headers` may edit; if not, why, for the editor to read.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), String> {
        let Some(token) = &self.token else {
            return Err(format!(
                "editing is off: serve listens on {}, which other machines can reach; \
                 restart it on 127.0.0.1, or with --allow-remote-editing",
                self.local.ip()
            ));
        };
        let host = header_text(headers, header::HOST.as_str())
            .ok_or("the request has no Host header: expected the address serve listens on")?;
        if !self.is_own_host(host) {
            return Err(format!(
                "the Host `{host}` is not this server: expected {} or another name of \
                 its address with port {}",
                self.local,
                self.local.port()
            ));
        }
        let expected_origin = format!("http://{host}");
        match header_text(headers, header::ORIGIN.as_str()) {
            Some(origin) if origin.eq_ignore_ascii_case(&expected_origin) => {}
            Some(origin) => {
                return Err(format!(
                    "edits are accepted only from serve's own pages: the Origin `{origin}` \
                     is not {expected_origin}"
                ));
            }
            None => {
                return Err(format!(
                    "the request has no Origin header: expected {expected_origin}"
                ));
            }
        }
        match header_text(headers, TOKEN_HEADER) {
            Some(given) if same_secret(given, token) => Ok(()),
            Some(_) => Err(
                "the X-Chorus-Token header does not match this run of serve: \
                 reload the page to get the current one"
                    .to_string(),
            ),
            None => Err(
                "the request has no X-Chorus-Token header: expected the token of serve's pages"
                    .to_string(),
            ),
        }
    }

    /// Whether `host` (a `Host` header) names this server: its port, and an IP literal of
    /// the address it listens on (any address when it listens on all), or `localhost`
    /// when that is loopback. Never another host name, which DNS could point anywhere.
    fn is_own_host(&self, host: &str) -> bool {
        let Some((name, port)) = host.rsplit_once(':') else {
            return false;
        };
        if port.parse::<u16>().ok() != Some(self.local.port()) {
            return false;
        }
        let listening = self.local.ip();
        if name.eq_ignore_ascii_case("localhost") {
            return listening.is_loopback();
        }
        let literal = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(name);
        match literal.parse::<IpAddr>() {
            Ok(ip) if listening.is_unspecified() => !ip.is_unspecified(),
            Ok(ip) if listening.is_loopback() => ip.is_loopback(),
            Ok(ip) => ip == listening,
            Err(_) => false,
        }
    }
}

/// The text of header `name`, if it is given once and is visible ASCII.
fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let mut values = headers.get_all(name).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    value.to_str().ok()
}

/// Compares a secret in time that does not depend on where it first differs.
fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0, |differ, (a, b)| differ | (a ^ b))
            == 0
}

/// 32 random bytes, in hex.
fn random_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn access(local: &str) -> EditAccess {
        EditAccess::new(local.parse().unwrap(), true).unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn only_the_address_serve_listens_on_is_its_host() {
        let loopback = access("127.0.0.1:1111");
        for host in ["127.0.0.1:1111", "localhost:1111", "127.0.0.2:1111"] {
            assert!(loopback.is_own_host(host), "{host}");
        }
        for host in [
            "127.0.0.1:2222",
            "127.0.0.1",
            "evil.example:1111",
            "192.168.1.2:1111",
            "127.0.0.1:1111:1111",
            "",
        ] {
            assert!(!loopback.is_own_host(host), "{host}");
        }
        assert!(access("[::1]:1111").is_own_host("[::1]:1111"));
        let everywhere = access("0.0.0.0:1111");
        assert!(everywhere.is_own_host("192.168.1.2:1111"));
        assert!(!everywhere.is_own_host("localhost:1111"));
        assert!(!everywhere.is_own_host("0.0.0.0:1111"));
    }

    #[test]
    fn a_request_needs_its_host_origin_and_token() {
        let access = access("127.0.0.1:1111");
        let token = access.token().unwrap().to_string();
        assert_eq!(token.len(), 64);
        let good = [
            ("host", "127.0.0.1:1111"),
            ("origin", "http://127.0.0.1:1111"),
            (TOKEN_HEADER, token.as_str()),
        ];
        assert_eq!(access.check(&headers(&good)), Ok(()));
        for (i, problem) in ["Host", "Origin", "X-Chorus-Token"].iter().enumerate() {
            let mut missing = good.to_vec();
            missing.remove(i);
            let refusal = access.check(&headers(&missing)).unwrap_err();
            assert!(refusal.contains(problem), "{refusal}");
        }
        let mut foreign = good.to_vec();
        foreign[1].1 = "http://evil.example";
        assert!(access.check(&headers(&foreign)).is_err());
        let mut wrong = good.to_vec();
        wrong[2].1 = "0";
        assert!(access.check(&headers(&wrong)).is_err());
        let mut twice = good.to_vec();
        twice.push((TOKEN_HEADER, token.as_str()));
        assert!(access.check(&headers(&twice)).is_err());
    }

    #[test]
    fn editing_is_off_beyond_loopback_unless_allowed() {
        let off = EditAccess::new("0.0.0.0:1111".parse().unwrap(), false).unwrap();
        assert_eq!(off.token(), None);
        let refusal = off.check(&HeaderMap::new()).unwrap_err();
        assert!(refusal.contains("--allow-remote-editing"), "{refusal}");
        let on = EditAccess::new("127.0.0.1:1111".parse().unwrap(), false).unwrap();
        assert!(on.token().is_some());
    }
}
