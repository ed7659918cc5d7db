#include "listings/csv_import.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <optional>
#include <regex>

#include "core/validation.hpp"
#include "listings/listing.hpp"

// The reader is written here rather than taken from Debian: libcsv-dev is a C callback API
// that cannot say on which line a record starts, and libfccp-dev (fast-cpp-csv-parser) fixes
// the column count at compile time and reports errors by exception. What the import needs --
// record line numbers, limits enforced while reading, UTF-8 checked -- is a hundred lines.

namespace griha::listings {
namespace csv {
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

std::string quote(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace csv

namespace {

using Kind = FieldSpec::Kind;

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A header column: a field of the table, or amenities (spec == nullptr).
struct Column {
  std::string name;
  const FieldSpec* spec = nullptr;
  bool ignored = false;  // unnamed and empty throughout: spreadsheets leave such columns
};

std::optional<std::int64_t> whole_number(std::string_view cell) {
  // Spreadsheets format rupees with grouping commas, Indian (1,85,00,000) or western
  // (18,500,000); commas anywhere else make it no number.
  static const std::regex k_grouped(R"(-?\d{1,3}((,\d{2})*,\d{3}|(,\d{3})*))");
  std::string digits(cell);
  if (cell.find(',') != std::string_view::npos) {
    if (!std::regex_match(digits, k_grouped)) return std::nullopt;
    std::erase(digits, ',');
  }
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc{} || p != digits.data() + digits.size()) return std::nullopt;
  return v;
}

// A non-empty, trimmed cell as the JSON API would carry it. What does not convert stays text,
// for apply_patch to refuse with the API's own message.
boost::json::value cell_value(const FieldSpec* spec, std::string_view cell) {
  if (!spec) {
    boost::json::array names;
    for (std::size_t start = 0; start <= cell.size();) {
      const auto bar = std::min(cell.find('|', start), cell.size());
      if (auto name = trim(cell.substr(start, bar - start)); !name.empty())
        names.emplace_back(name);
      start = bar + 1;
    }
    return names;
  }
  switch (spec->kind) {
    case Kind::integer:
      if (auto v = whole_number(cell)) return *v;
      break;
    case Kind::number: {
      double d = 0;
      const auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), d);
      if (ec == std::errc{} && p == cell.data() + cell.size()) return d;
      break;
    }
    case Kind::boolean: {
      const std::string b = lower(cell);
      if (b == "true" || b == "yes" || b == "y" || b == "1") return true;
      if (b == "false" || b == "no" || b == "n" || b == "0") return false;
      break;
    }
    default:
      break;
  }
  return boost::json::string(cell);
}

Result<std::vector<Column>> read_header(const std::vector<csv::Record>& records) {
  const auto& header = records.front().fields;
  std::vector<Column> columns;
  Error refused = Error::make(ErrorKind::invalid, "invalid_columns", "");
  std::string named;
  for (std::size_t c = 0; c < header.size(); ++c) {
    Column col{std::string(trim(header[c]))};
    if (col.name.empty()) {
      col.ignored = std::all_of(records.begin() + 1, records.end(), [&](const csv::Record& r) {
        return c >= r.fields.size() || trim(r.fields[c]).empty();
      });
      if (!col.ignored) {
        const std::string which = "column " + std::to_string(c + 1);
        // A column with no name is addressed by its place in the row (from 0).
        refused.fields.push_back(
            {json_pointer(c), FieldCode::required, which + " has cells but no name in the header"});
        named += (named.empty() ? "" : ", ") + which;
      }
      columns.push_back(std::move(col));
      continue;
    }
    std::optional<FieldError> problem;
    if (std::any_of(columns.begin(), columns.end(),
                    [&](const Column& other) { return other.name == col.name; })) {
      problem =
          FieldError{json_pointer(col.name), FieldCode::duplicate_value, "appears more than once"};
    } else if (col.name != "amenities") {
      for (const auto& f : listing_fields())
        if (f.name == col.name) col.spec = &f;
      if (!col.spec) {
        // apply_patch knows which names are protected and which are unknown: ask it, so
        // that a CSV column is refused exactly as the same JSON field would be.
        Listing scratch;
        auto probe = apply_patch(scratch, boost::json::object{{col.name, nullptr}});
        problem = probe ? FieldError{json_pointer(col.name), FieldCode::unknown_field,
                                     "is not a listing field"}
                        : probe.error().fields.front();
      }
    }
    if (problem) {
      refused.fields.push_back(std::move(*problem));
      named += (named.empty() ? "" : ", ") + col.name;
    }
    columns.push_back(std::move(col));
  }
  if (!refused.fields.empty()) {
    refused.message = "The file was not imported: these columns cannot be imported: " + named +
                      ". Use the listing field names.";
    return refused;
  }
  return columns;
}

}  // namespace

Result<std::vector<ImportRow>> read_import_csv(std::string_view text) {
  auto records = csv::parse(text, {k_max_import_rows + 1, 100, 10'000});
  if (!records) {
    Error e = records.error();
    if (e.code == "csv_too_many_rows")
      e.message = "The file has more than " + std::to_string(k_max_import_rows) +
                  " rows of listings; split it into files of at most " +
                  std::to_string(k_max_import_rows) + ".";
    return e;
  }
  if (records->empty())
    return Error::make(ErrorKind::invalid, "empty_file",
                       "The file is empty: its first row must name the columns.");
  auto columns = read_header(*records);
  if (!columns) return columns.error();

  std::vector<ImportRow> rows;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const auto& cells = (*records)[r].fields;
    if (std::all_of(cells.begin(), cells.end(),
                    [](const std::string& c) { return trim(c).empty(); }))
      continue;
    ImportRow row{r + 1, (*records)[r].line, {}, {}};
    if (cells.size() != columns->size()) {
      row.problems.push_back(
          {"",
           cells.size() < columns->size() ? FieldCode::too_few_values : FieldCode::too_many_values,
           "has " + std::to_string(cells.size()) + " cells; the header has " +
               std::to_string(columns->size())});
    } else {
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const Column& col = (*columns)[c];
        const std::string_view cell = trim(cells[c]);
        if (col.ignored || cell.empty()) continue;
        row.fields[col.name] = cell_value(col.spec, cell);
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

boost::json::object to_json(const ImportReport& report) {
  boost::json::array created, errors;
  for (const auto& [row, id] : report.created) created.push_back({{"row", row}, {"id", id}});
  for (const auto& e : report.errors)
    errors.push_back({{"row", e.row},
                      {"line", e.line},
                      {"column", e.column},
                      {"code", e.code},
                      {"message", e.message}});
  return {{"mode", report.options.all_or_nothing ? "all_or_nothing" : "partial"},
          {"submit", report.options.submit},
          {"written", report.written},
          {"rows_total", report.rows_total},
          {"imported", report.imported},
          {"failed", report.failed},
          {"created", std::move(created)},
          {"errors", std::move(errors)}};
}

std::string errors_csv(const ImportReport& report) {
  std::string out = "row,column,code,message\r\n";
  for (const auto& e : report.errors)
    out += std::to_string(e.row) + "," + csv::quote(e.column) + "," + csv::quote(e.code) + "," +
           csv::quote(e.message) + "\r\n";
  return out;
}

}  // namespace griha::listings
