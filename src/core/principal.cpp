#include "core/principal.hpp"

namespace griha {
namespace {

constexpr std::array<std::string_view, 5> k_role_names = {"seeker", "owner", "agent", "builder",
                                                          "admin"};

}  // namespace

std::string_view to_string(Role role) {
  return k_role_names[static_cast<std::size_t>(role)];
}

std::optional<Role> role_from_string(std::string_view name) {
  for (Role r : k_roles)
    if (to_string(r) == name) return r;
  return std::nullopt;
}

std::vector<std::string> role_names(bool (*keep)(Role)) {
  std::vector<std::string> out;
  for (Role r : k_roles)
    if (!keep || keep(r)) out.emplace_back(to_string(r));
  return out;
}

}  // namespace griha
