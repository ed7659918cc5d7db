// Operations endpoints: liveness, readiness, metrics, the API description and its reference
// page.
#pragma once

#include "app/routes.hpp"

namespace griha::app {

http::Handler healthz();
http::Handler readyz(const RouteDeps& deps);
http::Handler metrics(const RouteDeps& deps);
http::Handler openapi_document();
http::Handler api_reference_page(const RouteDeps& deps);
// Files under web_root/assets: the pages' scripts, styles and the vendored libraries.
http::Handler static_assets(const RouteDeps& deps);
// The web app's one HTML shell (web_root/index.html) for every page path; the app routes in
// the browser. Its CSP allows exactly what the app loads: its own scripts and styles, the map
// tiles' origin (web.tile_url) and the virtual-tour players listings may embed.
http::Handler web_app_page(const RouteDeps& deps);
// What the pages need to know about this deployment: the tile layer, social sign-in.
http::Handler web_config(const RouteDeps& deps);
// Its body: the tile layer, social sign-in, embeddable hosts and the account roles.
boost::json::object web_config_body(const Config& config);
// The CSP of the web app's pages for a tile URL template (exposed for tests).
std::string web_app_csp(const std::string& tile_url);
// Answers after ?ms= milliseconds without holding a thread: lets tests keep requests in
// flight. Only routed when server.debug_routes is true.
http::Handler debug_sleep();

}  // namespace griha::app
