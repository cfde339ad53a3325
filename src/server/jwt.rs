//! The access tokens `loyalty serve` issues on Mloyalty's `managerlogin`: HS256 JWTs whose
//! claims carry the integer `token` and `operator` the vendor's request bodies repeat.

use super::ServerState;
use super::store::StoreError;
use crate::wire::mloyalty::ClaimsDto;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The name of the signing key among the secrets every instance shares.
pub const SECRET_NAME: &str = "mloyalty_jwt";

pub struct JwtKey {
    secret: Vec<u8>,
}

impl JwtKey {
    pub fn new(secret: &[u8]) -> Self {
        JwtKey {
            secret: secret.to_vec(),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes keys of any length; this cannot fail.
        Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC accepts any key length")
    }

    pub fn sign(&self, claims: &ClaimsDto) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
        let signing_input = format!("{header}.{payload}");
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// The claims of a token this key signed and that has not expired at `now` (Unix
    /// seconds); `None` for anything else, a token without `exp` included: whoever could
    /// sign one would otherwise have access for ever.
    pub fn verify(&self, token: &str, now: i64) -> Option<ClaimsDto> {
        let (signing_input, signature) = token.rsplit_once('.')?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        mac.verify_slice(&signature).ok()?;
        let claims = crate::wire::mloyalty::claims(token).ok()?;
        claims.exp.is_some_and(|exp| exp > now).then_some(claims)
    }
}

impl ServerState {
    /// The signing key as the database holds it now, read for every token signed or
    /// checked: a rotation (`serve user rotate-jwt-key`) is honoured by every instance from
    /// its next request. Made on first use.
    pub(super) async fn jwt_key(&self) -> Result<JwtKey, StoreError> {
        let secret = match self.store.secret(SECRET_NAME).await? {
            Some(secret) => secret,
            None => self.store.shared_secret(SECRET_NAME).await?,
        };
        Ok(JwtKey::new(&secret))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_verify_until_they_expire() {
        let key = JwtKey::new(b"k");
        let claims = ClaimsDto {
            token: Some(42),
            oper: Some(7),
            exp: Some(100),
            ..ClaimsDto::default()
        };
        let jwt = key.sign(&claims);
        assert_eq!(key.verify(&jwt, 99), Some(claims));
        assert_eq!(key.verify(&jwt, 100), None);
        assert_eq!(JwtKey::new(b"other").verify(&jwt, 0), None);
        let tampered = jwt.replacen('.', ".x", 1);
        assert_eq!(key.verify(&tampered, 0), None);
    }

    #[test]
    fn a_token_without_exp_is_refused_even_signed_with_the_key() {
        let key = JwtKey::new(b"k");
        let forever = ClaimsDto {
            token: Some(1001),
            oper: Some(1),
            role: Some("manager".into()),
            ..ClaimsDto::default()
        };
        assert_eq!(key.verify(&key.sign(&forever), 0), None);
    }
}
