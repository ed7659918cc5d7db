#include "listings/media_multipart.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cctype>

namespace griha::listings {
namespace {

Error malformed(std::string detail) {
  return Error::make(ErrorKind::invalid, "invalid_multipart",
                     "The request body is not valid multipart/form-data: " + detail + ".");
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// `type; a=b; c="d \" e"` -> the type, then calls on_param(name, value) for each parameter.
// False when a quoted string is unterminated.
template <class F>
bool parse_header_value(std::string_view v, std::string_view* type, F on_param) {
  std::size_t i = v.find(';');
  *type = trim(v.substr(0, i));
  while (i != std::string_view::npos && i < v.size()) {
    ++i;  // past ';'
    const std::size_t eq = v.find('=', i);
    if (eq == std::string_view::npos) return trim(v.substr(i)).empty();
    const std::string_view name = trim(v.substr(i, eq - i));
    std::size_t j = eq + 1;
    while (j < v.size() && (v[j] == ' ' || v[j] == '\t')) ++j;
    std::string value;
    if (j < v.size() && v[j] == '"') {
      for (++j;; ++j) {
        if (j >= v.size()) return false;
        if (v[j] == '"') break;
        if (v[j] == '\\' && j + 1 < v.size()) ++j;
        value += v[j];
      }
      i = v.find(';', j + 1);
    } else {
      i = v.find(';', j);
      value = std::string(trim(v.substr(j, i == std::string_view::npos ? i : i - j)));
    }
    on_param(name, std::move(value));
  }
  return true;
}

bool boundary_char(char c) {
  // RFC 2046 bchars, without the space (allowed only inside, and never used in practice).
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("'()+_,-./:=?").find(c) != std::string_view::npos;
}

}  // namespace

std::optional<std::string> form_data_boundary(std::string_view content_type) {
  std::string_view type;
  std::optional<std::string> boundary;
  const bool ok = parse_header_value(content_type, &type, [&](std::string_view n, std::string v) {
    if (iequals(n, "boundary")) boundary = std::move(v);
  });
  if (!ok || !iequals(type, "multipart/form-data") || !boundary || boundary->empty() ||
      boundary->size() > 70 || !std::all_of(boundary->begin(), boundary->end(), boundary_char))
    return std::nullopt;
  return boundary;
}

Result<std::vector<FormPart>> parse_form_data(std::string_view boundary, std::string_view body,
                                              const MultipartLimits& limits) {
  const std::string dash = "--" + std::string(boundary);
  const std::string delimiter = "\r\n" + dash;
  // The first boundary may open the body or follow a preamble, which is ignored.
  std::size_t pos;
  if (body.starts_with(dash)) {
    pos = 0;
  } else {
    pos = body.find(delimiter);
    if (pos == std::string_view::npos) return malformed("no boundary");
    pos += 2;
  }

  std::vector<FormPart> parts;
  for (;;) {
    pos += dash.size();                             // at a boundary line
    if (body.substr(pos, 2) == "--") return parts;  // the closing boundary; the epilogue is ignored
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return malformed("bad boundary line");
    pos += 2;
    if (parts.size() == limits.max_parts)
      return malformed("more than " + std::to_string(limits.max_parts) + " parts");

    const std::size_t header_end = body.find("\r\n\r\n", pos);
    const bool no_headers = body.substr(pos, 2) == "\r\n";
    if (!no_headers &&
        (header_end == std::string_view::npos || header_end - pos > limits.max_part_header_bytes))
      return malformed("part headers missing or too long");
    const std::string_view headers =
        no_headers ? std::string_view() : body.substr(pos, header_end - pos);
    pos = no_headers ? pos + 2 : header_end + 4;

    FormPart part;
    bool disposition = false;
    std::size_t count = 0;
    for (std::size_t line_start = 0; line_start < headers.size();) {
      std::size_t line_end = headers.find("\r\n", line_start);
      if (line_end == std::string_view::npos) line_end = headers.size();
      const std::string_view line = headers.substr(line_start, line_end - line_start);
      line_start = line_end + 2;
      if (++count > limits.max_part_headers) return malformed("too many part headers");
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) return malformed("bad part header");
      if (!iequals(line.substr(0, colon), "content-disposition")) continue;
      std::string_view type;
      std::optional<std::string> name;
      const bool ok =
          parse_header_value(line.substr(colon + 1), &type, [&](std::string_view n, std::string v) {
            if (iequals(n, "name")) name = std::move(v);
            if (iequals(n, "filename")) part.filename = std::move(v);
          });
      if (!ok || !iequals(type, "form-data") || !name || disposition)
        return malformed("bad Content-Disposition");
      part.name = std::move(*name);
      disposition = true;
    }
    if (!disposition) return malformed("a part without Content-Disposition");

    const std::size_t end = body.find(delimiter, pos);
    if (end == std::string_view::npos) return malformed("a part is not terminated");
    part.body = body.substr(pos, end - pos);
    parts.push_back(std::move(part));
    pos = end + 2;
  }
}

}  // namespace griha::listings
