// Core text: trimming, and form/query decoding through Boost.URL.
#include "core/text.hpp"

#include <gtest/gtest.h>

namespace griha {
namespace {

TEST(Text, TrimTakesBlanksOffBothEnds) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("\nx\n", " \t"), "\nx\n") << "only the characters asked for";
}

TEST(Text, FormDecodingReadsPlusAndEscapes) {
  EXPECT_EQ(form_decode("a+b%20c"), "a b c");
  EXPECT_EQ(form_decode("%E2%82%B9%2C"), "₹,");
  EXPECT_EQ(form_decode("%2B"), "+");
  // A '%' without two hex digits stays as written, at the end too.
  EXPECT_EQ(form_decode("100%"), "100%");
  EXPECT_EQ(form_decode("100%2"), "100%2");
  EXPECT_EQ(form_decode("%zz%41"), "%zzA");
  EXPECT_EQ(form_decode(""), "");
}

TEST(Text, ParseFormKeepsOrderAndRepeats) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(parse_form("bhk=2&bhk=3&q=sea+view&&flag&e=%3D"),
            (Pairs{{"bhk", "2"}, {"bhk", "3"}, {"q", "sea view"}, {"flag", ""}, {"e", "="}}));
  EXPECT_TRUE(parse_form("").empty());
  // A view that is not NUL-terminated: the last value ends where the view does.
  const std::string buf = "a=%41%42XYZ";
  EXPECT_EQ(parse_form(std::string_view(buf).substr(0, 8)), (Pairs{{"a", "AB"}}));
}

}  // namespace
}  // namespace griha
