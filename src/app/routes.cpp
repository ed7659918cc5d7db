// Every route Griha serves, at a glance. Matching does not depend on the order here.
// api/openapi.json describes exactly these routes (tests/app/openapi_test.cpp checks it).
#include "app/routes.hpp"

#include "app/ops_handlers.hpp"

namespace griha::app {

std::vector<http::Route> build_routes(const RouteDeps& d) {
  using http::bhttp::verb;
  std::vector<http::Route> routes = {
      {verb::get, "/healthz", healthz()},
      {verb::get, "/readyz", readyz(d)},
      {verb::get, "/metrics", metrics(d)},
      {verb::get, "/openapi.json", openapi_document()},
      {verb::get, "/docs", api_reference_page(d)},
      {verb::get, "/assets/{path...}", static_assets(d)},
  };
  if (d.config.debug_routes) routes.push_back({verb::get, "/_debug/sleep", debug_sleep()});
  return routes;
}

}  // namespace griha::app
