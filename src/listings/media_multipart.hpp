// A strict, bounded multipart/form-data parser (RFC 7578) for photo uploads. Hand-written
// because neither Boost nor Debian packages a maintained one; it only splits the body that
// the server has already read under its size limit, returning views into it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace griha::listings {

struct FormPart {
  std::string name;                     // the form field's name
  std::optional<std::string> filename;  // set for file parts (it is never trusted for anything)
  std::string_view body;                // a view into the request body
};

struct MultipartLimits {
  std::size_t max_parts = 64;
  std::size_t max_part_header_bytes = 4096;  // all of one part's header lines together
  std::size_t max_part_headers = 8;
};

// The boundary parameter of a multipart/form-data Content-Type; nullopt when the type is
// another one or the boundary is missing or malformed (RFC 2046: 1 to 70 characters).
std::optional<std::string> form_data_boundary(std::string_view content_type);

// Splits `body` into its parts. Anything malformed or over a limit is an `invalid` error
// with code invalid_multipart.
Result<std::vector<FormPart>> parse_form_data(std::string_view boundary, std::string_view body,
                                              const MultipartLimits& limits = {});

}  // namespace griha::listings
