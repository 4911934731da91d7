//! Who the courier sends as. Signing in belongs to the agent's session (the keychain, the identity), which sits
//! above this crate: the courier only needs the client and a way to sign in again after a 401.

use std::future::Future;
use std::pin::Pin;

use agent_error::Result;

/// A boxed future of [`SignIn::sign_in_again`] (the trait is used as `dyn`).
pub type SignInFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// The signed-in agent, as the courier sees it. A 401 means the server did not act on the request, so after
/// [`SignIn::sign_in_again`] succeeds the courier sends it once more.
pub trait SignIn: Send + Sync {
    /// The client, with the current token (clones of it share the token, so a renewal reaches every sender).
    fn client(&self) -> &integra::Client;

    /// Signs in again (in the app: with the password kept in the keychain). The error says why it could not;
    /// the courier publishes it as [`crate::courier::CourierEvent::SignInLost`].
    fn sign_in_again(&self) -> SignInFuture<'_>;
}
