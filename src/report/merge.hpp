#pragma once
// Joining the shards of a sweep (ipcsim run --shard K/N) back into one summary CSV.
#include <string>
#include <vector>

#include "table.hpp"

namespace ipcsim::report {

/// The CSV a single run of the whole sweep writes: every shard's rows in point order.
/// InputError when the shards' headers differ, a point appears twice, or points are missing.
std::string merge_shards(const std::vector<Table>& shards);

}  // namespace ipcsim::report
