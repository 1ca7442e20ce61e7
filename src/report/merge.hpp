#pragma once
// Joining the shards of a sweep (ipcsim run --shard K/N) back into one summary CSV.
#include <string>
#include <vector>

#include "table.hpp"

namespace ipcsim::report {

/// The CSV a single run of the whole sweep writes: every shard's rows in point order.
/// InputError when the shards' headers differ, a point appears twice, or points are missing.
std::string merge_shards(const std::vector<Table>& shards);

/// Whether a shard holds one row per replication (a shard of a replicated run): merge then
/// folds each point's replications, with the histograms written beside the shards.
bool holds_replications(const Table& shard);

/// What the shards of a replicated run (ipcsim run --replications N --shard K/M) merge into:
/// the summary CSV and the replications CSV a single run writes.
struct MergedReplications {
  std::string summary_csv, replications_csv;
};
/// `histograms[i]`: the histograms CSV beside shards[i]. InputError when the shards' headers
/// differ, a run appears twice or is missing, or a histogram row is not one a run wrote.
MergedReplications merge_replicated_shards(const std::vector<Table>& shards, const std::vector<Table>& histograms);

}  // namespace ipcsim::report
