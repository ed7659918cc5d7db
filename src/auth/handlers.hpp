// The HTTP face of auth: thin handlers that parse and validate, call AuthService on the
// worker pool and map its results to responses; and the Authenticator the server runs on
// every request. Routes are declared in app/routes.cpp.
#pragma once

#include "auth/service.hpp"
#include "core/worker_pool.hpp"
#include "http/types.hpp"

namespace griha::auth {

struct HandlerDeps {
  AuthService* service;  // owned by the App; only dereferenced while serving
  WorkerPool* workers;
};

// Bearer access tokens -> Principal; signature and claims only, no database.
http::Authenticator make_authenticator(AuthService& service);

http::Handler jwks(HandlerDeps d);
http::Handler register_account(HandlerDeps d);
http::Handler sign_in(HandlerDeps d);
http::Handler refresh(HandlerDeps d);
http::Handler sign_out(HandlerDeps d);
http::Handler verify_email(HandlerDeps d);
http::Handler resend_verification(HandlerDeps d);
http::Handler forgot_password(HandlerDeps d);
http::Handler reset_password(HandlerDeps d);
http::Handler request_otp(HandlerDeps d);
http::Handler verify_otp(HandlerDeps d);
http::Handler oidc_start(HandlerDeps d);
http::Handler oidc_callback(HandlerDeps d);

http::Handler me(HandlerDeps d);
http::Handler update_me(HandlerDeps d);
http::Handler change_password(HandlerDeps d);
http::Handler list_sessions(HandlerDeps d);
http::Handler revoke_session(HandlerDeps d);

http::Handler admin_list_users(HandlerDeps d);
http::Handler admin_get_user(HandlerDeps d);
http::Handler admin_lock_user(HandlerDeps d);
http::Handler admin_unlock_user(HandlerDeps d);
http::Handler admin_set_role(HandlerDeps d);

// The pages email links open: they work in any browser, without scripts.
http::Handler verify_email_page(HandlerDeps d);
http::Handler reset_password_page(HandlerDeps d);
http::Handler reset_password_form(HandlerDeps d);

}  // namespace griha::auth
