// The roles, defined once: names round-trip, and the groups the route table and pages use.
#include "core/principal.hpp"

#include <gtest/gtest.h>

namespace griha {
namespace {

TEST(Role, NamesRoundTripAndNothingElseIsARole) {
  for (Role r : k_roles) EXPECT_EQ(role_from_string(to_string(r)), r);
  EXPECT_EQ(to_string(Role::builder), "builder");
  for (const char* junk : {"", "root", "Admin", "admin ", "listers"})
    EXPECT_FALSE(role_from_string(junk)) << junk;
}

TEST(Role, ListersAndSelfServiceRoles) {
  EXPECT_EQ(role_names(is_lister), (std::vector<std::string>{"owner", "agent", "builder"}));
  for (Role r : k_lister_roles) EXPECT_TRUE(is_lister(r));
  EXPECT_FALSE(is_self_service(Role::admin));
  EXPECT_EQ(role_names(is_self_service).size(), k_roles.size() - 1);
  EXPECT_EQ(role_names().size(), k_roles.size());
}

TEST(Principal, NobodyUntilSignedIn) {
  Principal p;
  EXPECT_FALSE(p.signed_in());
  EXPECT_FALSE(p.admin());
  p = Principal{7, Role::agent};
  EXPECT_TRUE(p.signed_in());
  EXPECT_TRUE(p.lister());
  EXPECT_FALSE(p.admin());
  EXPECT_TRUE((Principal{1, Role::admin}).admin());
}

}  // namespace
}  // namespace griha
