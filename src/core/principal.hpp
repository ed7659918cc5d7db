// Who is calling: one type from the authenticator (http) to every service. The roles are
// defined here once; their names are what access tokens, the users table and the API carry,
// and GET /api/v1/web-config serves them to the web pages.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace griha {

// Lowest to highest. Only an admin grants "admin".
enum class Role { seeker, owner, agent, builder, admin };
inline constexpr std::array<Role, 5> k_roles = {Role::seeker, Role::owner, Role::agent,
                                                Role::builder, Role::admin};
// Roles that list properties (and so have a dashboard, leads and visiting hours).
inline constexpr std::array<Role, 3> k_lister_roles = {Role::owner, Role::agent, Role::builder};

std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view name);
// A person may pick any role but admin for themselves at registration.
inline bool is_self_service(Role role) {
  return role != Role::admin;
}
inline bool is_lister(Role role) {
  return role == Role::owner || role == Role::agent || role == Role::builder;
}
std::vector<std::string> role_names(bool (*keep)(Role) = nullptr);

struct Principal {
  std::int64_t user_id = 0;  // 0: nobody signed in
  Role role = Role::seeker;
  std::string session_id;  // the session (refresh-token family) the credential belongs to
  // Where the request came from, for rate limits and the session list; set for every
  // request, signed in or not (http::Request::caller()).
  std::string ip;
  std::string user_agent;

  bool signed_in() const { return user_id != 0; }
  bool admin() const { return role == Role::admin; }
  bool lister() const { return is_lister(role); }
};

}  // namespace griha
