#include "listings/csv_import.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <optional>
#include <regex>

#include "core/text.hpp"
#include "core/validation.hpp"
#include "listings/listing.hpp"

namespace griha::listings {

namespace {

using Kind = FieldSpec::Kind;

// Spaces and tabs around a cell are padding; a line break inside a quoted cell is content.
std::string_view trim_cell(std::string_view s) {
  return trim(s, " \t");
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
      if (auto name = trim_cell(cell.substr(start, bar - start)); !name.empty())
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
    Column col{std::string(trim_cell(header[c]))};
    if (col.name.empty()) {
      col.ignored = std::all_of(records.begin() + 1, records.end(), [&](const csv::Record& r) {
        return c >= r.fields.size() || trim_cell(r.fields[c]).empty();
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
                    [](const std::string& c) { return trim_cell(c).empty(); }))
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
        const std::string_view cell = trim_cell(cells[c]);
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
  std::string out = csv::row({"row", "column", "code", "message"});
  for (const auto& e : report.errors)
    out += csv::row({std::to_string(e.row), e.column, e.code, e.message});
  return out;
}

}  // namespace griha::listings
