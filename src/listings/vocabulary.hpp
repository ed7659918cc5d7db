// The listing's closed vocabularies: every value a choice field may take, spelled as the API,
// the database and the web app spell it. The listing field table (listing.cpp) and the search
// index both read them from here, and a test holds api/openapi.json to them.
#pragma once

#include <array>
#include <string_view>

namespace griha::listings {

inline constexpr std::array<std::string_view, 4> k_transactions{"sale_new", "sale_resale", "rent",
                                                                "lease"};
inline constexpr std::array<std::string_view, 11> k_property_types{
    "apartment", "independent_house", "villa", "builder_floor", "plot",
    "studio",    "penthouse",         "pg",    "office",        "shop",
    "warehouse"};
inline constexpr std::array<std::string_view, 3> k_furnishings{"furnished", "semi_furnished",
                                                               "unfurnished"};
inline constexpr std::array<std::string_view, 2> k_possessions{"ready", "under_construction"};
inline constexpr std::array<std::string_view, 8> k_facings{
    "north", "north_east", "east", "south_east", "south", "south_west", "west", "north_west"};
inline constexpr std::array<std::string_view, 4> k_tenant_preferences{"any", "family", "bachelors",
                                                                      "company"};
// Set from the lister's role, never from input.
inline constexpr std::array<std::string_view, 3> k_posted_by{"owner", "agent", "builder"};
// Property types that have no bedrooms: a BHK filter never matches them.
inline constexpr std::array<std::string_view, 4> k_non_residential_types{"plot", "office", "shop",
                                                                         "warehouse"};

}  // namespace griha::listings
