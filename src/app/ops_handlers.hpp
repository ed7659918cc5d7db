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
// Answers after ?ms= milliseconds without holding a thread: lets tests keep requests in
// flight. Only routed when server.debug_routes is true.
http::Handler debug_sleep();

}  // namespace griha::app
