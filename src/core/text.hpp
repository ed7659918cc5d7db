// Text helpers every module needs: trimming, and decoding the percent-encoded text of query
// strings and HTML forms (through Boost.URL).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace griha {

inline constexpr std::string_view k_blank = " \t\r\n";

// `s` without leading and trailing characters from `chars` (spaces, tabs and line breaks).
std::string_view trim(std::string_view s, std::string_view chars = k_blank);

// One application/x-www-form-urlencoded component (a query parameter's name or value, a form
// field): '+' is a space, %XX a byte. A '%' without two hex digits stays as written, as
// browsers do, rather than failing the whole request.
std::string form_decode(std::string_view component);

// "a=1&b=x+y&a=2" -> {a,1}, {b,"x y"}, {a,2}: every pair in order, repeats kept, empty pairs
// skipped, a name without '=' has an empty value.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view query);

}  // namespace griha
