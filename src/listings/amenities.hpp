// The amenity vocabulary, shared by the listing model (a bitmask column) and the search index
// (the same bits). The position is the bit: append only, never reorder.
#pragma once

#include <string_view>

namespace griha::listings {

inline constexpr std::string_view k_amenities[] = {"lift",
                                                   "power_backup",
                                                   "security",
                                                   "gated_community",
                                                   "gym",
                                                   "swimming_pool",
                                                   "club_house",
                                                   "park",
                                                   "visitor_parking",
                                                   "intercom",
                                                   "rainwater_harvesting",
                                                   "fire_safety",
                                                   "cctv",
                                                   "play_area",
                                                   "jogging_track",
                                                   "indoor_games",
                                                   "maintenance_staff",
                                                   "piped_gas",
                                                   "water_storage",
                                                   "vaastu_compliant",
                                                   "wifi",
                                                   "air_conditioning",
                                                   "servant_room",
                                                   "study_room",
                                                   "pooja_room",
                                                   "garden",
                                                   "terrace",
                                                   "private_pool",
                                                   "shopping_centre",
                                                   "school_nearby",
                                                   "hospital_nearby",
                                                   "metro_nearby"};

}  // namespace griha::listings
