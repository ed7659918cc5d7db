// Every route Griha serves, at a glance. Matching does not depend on the order here.
// api/openapi.json describes exactly these routes (tests/app/openapi_test.cpp checks it).
#include "app/routes.hpp"

#include "app/idempotency.hpp"
#include "app/ops_handlers.hpp"
#include "auth/handlers.hpp"
#include "leads/lead_handlers.hpp"
#include "listings/import_handlers.hpp"
#include "listings/listing_handlers.hpp"
#include "listings/media_handlers.hpp"
#include "listings/places_handlers.hpp"
#include "notify/handlers.hpp"
#include "saved/saved_handlers.hpp"
#include "search/search_handlers.hpp"
#include "visits/visit_handlers.hpp"

namespace griha::app {

std::vector<http::Route> build_routes(const RouteDeps& d) {
  using http::Access;
  using http::bhttp::verb;
  const auth::HandlerDeps a{d.auth, &d.workers};
  const auto admin = Access::role({Role::admin});
  const auto lister = Access::role({k_lister_roles.begin(), k_lister_roles.end()});
  const listings::ListingHandlers l{*d.listings, d.workers, *d.views};
  const listings::MediaHandlers m{*d.media, d.workers};
  const auto lister_or_admin = Access::role({Role::owner, Role::agent, Role::builder, Role::admin});
  const search::SearchHandlers s{*d.search, d.gazetteer, system_clock()};
  const notify::NotifyHandlers n{d.db, d.workers, *d.dispatcher, system_clock()};
  // POSTs a client may safely retry after a lost answer (Idempotency-Key).
  const auto idem = [&d](http::Handler h) {
    return idempotent(d.db, d.workers, system_clock(), std::move(h));
  };
  const leads::LeadHandlers ld{*d.leads, d.workers};
  const visits::VisitHandlers vh{*d.visits, d.workers};
  const saved::SavedHandlers sv{*d.shortlist, *d.saved_searches, d.gazetteer, d.workers};
  std::vector<http::Route> routes = {
      {verb::get, "/healthz", healthz()},
      {verb::get, "/readyz", readyz(d)},
      {verb::get, "/metrics", metrics(d)},
      {verb::get, "/openapi.json", openapi_document()},
      {verb::get, "/docs", api_reference_page(d)},
      {verb::get, "/assets/{path...}", static_assets(d)},

      // The web app: one HTML shell for every page; the app routes in the browser.
      {verb::get, "/", web_app_page(d)},
      {verb::get, "/search", web_app_page(d)},
      {verb::get, "/listings/{id:int}", web_app_page(d)},
      {verb::get, "/compare", web_app_page(d)},
      {verb::get, "/account/{path...}", web_app_page(d)},
      {verb::get, "/dashboard", web_app_page(d)},
      {verb::get, "/dashboard/{path...}", web_app_page(d)},
      {verb::get, "/admin", web_app_page(d)},
      {verb::get, "/admin/{path...}", web_app_page(d)},
      {verb::get, "/api/v1/web-config", web_config(d)},

      {verb::get, "/.well-known/jwks.json", auth::jwks(a)},
      {verb::post, "/api/v1/auth/register", auth::register_account(a)},
      {verb::post, "/api/v1/auth/signin", auth::sign_in(a)},
      {verb::post, "/api/v1/auth/refresh", auth::refresh(a)},
      {verb::post, "/api/v1/auth/signout", auth::sign_out(a), Access::signed_in()},
      {verb::post, "/api/v1/auth/email/verify", auth::verify_email(a)},
      {verb::post, "/api/v1/auth/email/resend", auth::resend_verification(a), Access::signed_in()},
      {verb::post, "/api/v1/auth/password/forgot", auth::forgot_password(a)},
      {verb::post, "/api/v1/auth/password/reset", auth::reset_password(a)},
      {verb::post, "/api/v1/auth/otp/request", auth::request_otp(a)},
      {verb::post, "/api/v1/auth/otp/verify", auth::verify_otp(a)},
      {verb::get, "/api/v1/auth/oidc/start", auth::oidc_start(a)},
      {verb::get, "/api/v1/auth/oidc/callback", auth::oidc_callback(a)},
      {verb::get, "/api/v1/me", auth::me(a), Access::signed_in()},
      {verb::patch, "/api/v1/me", auth::update_me(a), Access::signed_in()},
      {verb::post, "/api/v1/me/password", auth::change_password(a), Access::signed_in()},
      {verb::get, "/api/v1/me/sessions", auth::list_sessions(a), Access::signed_in()},
      {verb::delete_, "/api/v1/me/sessions/{id}", auth::revoke_session(a), Access::signed_in()},
      {verb::get, "/api/v1/admin/users", auth::admin_list_users(a), admin},
      {verb::get, "/api/v1/admin/users/{id:int}", auth::admin_get_user(a), admin},
      {verb::post, "/api/v1/admin/users/{id:int}/lock", auth::admin_lock_user(a), admin},
      {verb::post, "/api/v1/admin/users/{id:int}/unlock", auth::admin_unlock_user(a), admin},
      {verb::put, "/api/v1/admin/users/{id:int}/role", auth::admin_set_role(a), admin},
      {verb::get, "/account/verify-email", auth::verify_email_page(a)},
      {verb::get, "/account/reset-password", auth::reset_password_page(a)},
      {verb::post, "/account/reset-password", auth::reset_password_form(a)},
      {verb::get, "/api/v1/places", listings::places(d.gazetteer)},

      {verb::get, "/api/v1/search", s.get()},
      {verb::post, "/api/v1/search", s.post(), Access::anyone(), search::k_search_body_bytes},
      {verb::get, "/api/v1/search/map", s.map()},

      {verb::post, "/api/v1/listings", l.create(), lister},
      {verb::post, "/api/v1/listings/import", listings::import_listings(*d.listings, d.workers),
       Access::role({Role::agent, Role::builder}), listings::k_import_body_bytes},
      {verb::get, "/api/v1/listings/{id:int}", l.get()},
      {verb::patch, "/api/v1/listings/{id:int}", l.update(), Access::signed_in()},
      {verb::delete_, "/api/v1/listings/{id:int}", l.remove(), Access::signed_in()},
      {verb::get, "/api/v1/listings/{id:int}/history", l.history(), Access::signed_in()},
      {verb::post, "/api/v1/listings/{id:int}/submit", l.submit(), Access::signed_in()},
      {verb::post, "/api/v1/listings/{id:int}/renew", l.renew(), Access::signed_in()},
      {verb::post, "/api/v1/listings/{id:int}/withdraw", l.withdraw(), Access::signed_in()},
      {verb::post, "/api/v1/listings/{id:int}/close", l.close(), Access::signed_in()},
      {verb::get, "/api/v1/me/listings", l.mine(), Access::signed_in()},
      {verb::get, "/api/v1/me/listings/views", l.my_views(), Access::signed_in()},
      {verb::get, "/api/v1/admin/moderation", l.moderation_queue(), admin},
      {verb::post, "/api/v1/admin/listings/{id:int}/approve", l.approve(), admin},
      {verb::post, "/api/v1/admin/listings/{id:int}/reject", l.reject(), admin},
      {verb::patch, "/api/v1/admin/listings/{id:int}", l.set_flags(), admin},

      {verb::get, "/api/v1/listings/{id:int}/photos", m.list()},
      {verb::post, "/api/v1/listings/{id:int}/photos", m.upload(), lister_or_admin,
       listings::k_media_upload_body_bytes},
      {verb::patch, "/api/v1/listings/{id:int}/photos", m.arrange(), lister_or_admin},
      {verb::delete_, "/api/v1/listings/{id:int}/photos/{photo_id:int}", m.remove(),
       lister_or_admin},
      {verb::get, "/media/{path...}", m.serve_file()},

      {verb::get, "/api/v1/me/notifications", n.my_notifications(), Access::signed_in()},
      {verb::post, "/api/v1/me/notifications/{id:int}/read", n.mark_read(), Access::signed_in()},
      {verb::post, "/api/v1/me/notifications/read-all", n.mark_all_read(), Access::signed_in()},
      {verb::get, "/api/v1/admin/outbox", n.admin_outbox(), admin},
      {verb::post, "/api/v1/admin/outbox/{id:int}/retry", n.admin_retry(), admin},

      {verb::post, "/api/v1/listings/{id:int}/inquiries", idem(ld.inquire())},
      {verb::post, "/api/v1/inquiries/contact/verify-request", ld.request_contact_code()},
      {verb::post, "/api/v1/inquiries/contact/verify", ld.verify_contact_code()},
      {verb::get, "/api/v1/me/inquiries", ld.my_inquiries(), Access::signed_in()},
      {verb::get, "/api/v1/me/leads", ld.my_leads(), Access::signed_in()},
      {verb::get, "/api/v1/me/leads/stats", ld.my_lead_stats(), Access::signed_in()},
      {verb::get, "/api/v1/me/leads/export", ld.export_leads(), Access::signed_in()},
      {verb::get, "/api/v1/leads/{id:int}", ld.get(), Access::signed_in()},
      {verb::patch, "/api/v1/leads/{id:int}", ld.update(), Access::signed_in()},
      {verb::post, "/api/v1/leads/{id:int}/notes", ld.add_note(), Access::signed_in()},
      {verb::get, "/api/v1/me/agency/agents", ld.agency_agents(), lister_or_admin},
      {verb::post, "/api/v1/admin/agencies", ld.create_agency(), admin},
      {verb::put, "/api/v1/admin/users/{id:int}/agency", ld.set_user_agency(), admin},
      {verb::get, "/api/v1/admin/leads", ld.admin_leads(), admin},
      {verb::get, "/api/v1/admin/stats", ld.admin_stats(), admin},

      {verb::get, "/api/v1/listings/{id:int}/availability", vh.get_availability(), lister_or_admin},
      {verb::put, "/api/v1/listings/{id:int}/availability", vh.put_availability(), lister_or_admin},
      {verb::get, "/api/v1/listings/{id:int}/slots", vh.slots()},
      {verb::post, "/api/v1/listings/{id:int}/visits", idem(vh.book()), Access::signed_in()},
      {verb::get, "/api/v1/visits/{id:int}", vh.get(), Access::signed_in()},
      {verb::post, "/api/v1/visits/{id:int}/reschedule", vh.reschedule(), Access::signed_in()},
      {verb::post, "/api/v1/visits/{id:int}/cancel", vh.cancel(), Access::signed_in()},
      {verb::post, "/api/v1/visits/{id:int}/outcome", vh.outcome(), Access::signed_in()},
      {verb::get, "/api/v1/me/visits", vh.mine(), Access::signed_in()},
      {verb::get, "/api/v1/me/hosted-visits", vh.hosted(), Access::signed_in()},

      {verb::get, "/api/v1/me/shortlist", sv.shortlist_list(), Access::signed_in()},
      {verb::put, "/api/v1/me/shortlist/{listing_id:int}", sv.shortlist_add(), Access::signed_in()},
      {verb::delete_, "/api/v1/me/shortlist/{listing_id:int}", sv.shortlist_remove(),
       Access::signed_in()},
      {verb::get, "/api/v1/compare", sv.compare()},
      {verb::get, "/api/v1/me/saved-searches", sv.search_list(), Access::signed_in()},
      {verb::post, "/api/v1/me/saved-searches", sv.search_create(), Access::signed_in()},
      {verb::patch, "/api/v1/me/saved-searches/{id:int}", sv.search_update(), Access::signed_in()},
      {verb::delete_, "/api/v1/me/saved-searches/{id:int}", sv.search_delete(),
       Access::signed_in()},
      {verb::get, "/api/v1/saved-searches/unsubscribe", sv.unsubscribe_page()},
      {verb::post, "/api/v1/saved-searches/unsubscribe", sv.unsubscribe()},
  };
  if (d.config.debug_routes) routes.push_back({verb::get, "/_debug/sleep", debug_sleep()});
  return routes;
}

}  // namespace griha::app
