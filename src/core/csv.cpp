#include "core/csv.hpp"

// The reader is written here rather than taken from Debian: libcsv-dev is a C callback API
// that cannot say on which line a record starts, and libfccp-dev (fast-cpp-csv-parser) fixes
// the column count at compile time and reports errors by exception. What the import needs --
// record line numbers, limits enforced while reading, UTF-8 checked -- is a hundred lines.

namespace griha::csv {
namespace {

Error too_large(std::string code, std::string message) {
  return Error::make(ErrorKind::too_large, std::move(code), std::move(message));
}
Error malformed(std::string code, std::string message) {
  return Error::make(ErrorKind::invalid, std::move(code), std::move(message));
}

// Length of the line break at `at` (CRLF, LF or a lone CR), 0 when there is none.
std::size_t line_break(std::string_view text, std::size_t at) {
  if (text[at] == '\n') return 1;
  if (text[at] == '\r') return at + 1 < text.size() && text[at + 1] == '\n' ? 2 : 1;
  return 0;
}

// The line (1-based) of the first byte that is not well-formed UTF-8 (overlong forms,
// surrogates and code points past U+10FFFF included), or 0 when all of it is.
std::size_t first_bad_utf8_line(std::string_view text) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (const std::size_t lb = line_break(text, i)) {
        ++line;
        i += lb;
      } else {
        ++i;
      }
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return line;
    }
    if (i + len > text.size()) return line;
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if (second < lo || second > hi) return line;
    for (std::size_t k = 2; k < len; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return line;
    i += len;
  }
  return 0;
}

}  // namespace

Result<std::vector<Record>> parse(std::string_view text, const Limits& limits) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (const std::size_t bad = first_bad_utf8_line(text))
    return malformed("csv_not_utf8", "Line " + std::to_string(bad) +
                                         " is not UTF-8 text; save the file as \"CSV UTF-8\".");
  const std::size_t n = text.size();
  const auto field_too_long = [&](std::size_t line) {
    return too_large("csv_field_too_long", "A cell on line " + std::to_string(line) +
                                               " is longer than " +
                                               std::to_string(limits.max_field_bytes) + " bytes.");
  };
  std::vector<Record> out;
  std::size_t i = 0, line = 1;
  while (i < n) {
    if (out.size() == limits.max_records)
      return too_large("csv_too_many_rows", "The file has more than " +
                                                std::to_string(limits.max_records) + " records.");
    Record rec{line, {}};
    for (;;) {
      std::string field;
      if (i < n && text[i] == '"') {
        const std::size_t opened_on = line;
        for (++i;;) {
          if (i == n)
            return malformed("csv_unterminated_quote", "The quoted cell that starts on line " +
                                                           std::to_string(opened_on) +
                                                           " has no closing quote.");
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (const std::size_t lb = line_break(text, i)) {
            // Stored as \n whatever the file used: a CR would be a control character to
            // the listing's text rules.
            field += '\n';
            ++line;
            i += lb;
          } else {
            field += text[i++];
          }
          if (field.size() > limits.max_field_bytes) return field_too_long(opened_on);
        }
        if (i < n && text[i] != ',' && !line_break(text, i))
          return malformed("csv_bad_quote", "Line " + std::to_string(line) +
                                                ": a quoted cell must end at a comma or the end "
                                                "of the line (write a quote inside as \"\").");
      } else {
        const std::size_t start = i;
        while (i < n && text[i] != ',' && !line_break(text, i)) ++i;
        if (i - start > limits.max_field_bytes) return field_too_long(line);
        field.assign(text.substr(start, i - start));
      }
      rec.fields.push_back(std::move(field));
      if (rec.fields.size() > limits.max_fields)
        return too_large("csv_too_many_columns", "Line " + std::to_string(rec.line) +
                                                     " has more than " +
                                                     std::to_string(limits.max_fields) + " cells.");
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    if (i < n) {
      i += line_break(text, i);
      ++line;
    }
    out.push_back(std::move(rec));
  }
  return out;
}

std::string cell(std::string_view value) {
  std::string v(value);
  // A cell a spreadsheet would run as a formula is made text: OWASP's advice on CSV injection.
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string row(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += cell(cells[i]);
  }
  return out + "\r\n";
}

}  // namespace griha::csv
