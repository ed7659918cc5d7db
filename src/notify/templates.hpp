// Message templates: templates/<name>.subject, <name>.txt and optionally <name>.html,
// compiled into the binary, in Mustache syntax ({{value}}, {{#list}}…{{/list}}). In the HTML
// part every inserted value is HTML-escaped; the subject and text parts insert values as
// they are (they are not markup), with CR/LF removed from the subject.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace griha::notify {

struct Rendered {
  std::string subject;
  std::string text;
  std::string html;  // empty when the template has no .html part
};

// An unknown template, or a template naming a value that `values` lacks, is an internal
// error: a typo must fail loudly in tests rather than send a message with a hole in it.
Result<Rendered> render(std::string_view name, const boost::json::object& values);

// The same from template sources rather than a name (an empty `html` renders none).
Result<Rendered> render_sources(std::string_view subject, std::string_view text,
                                std::string_view html, const boost::json::object& values);

}  // namespace griha::notify
