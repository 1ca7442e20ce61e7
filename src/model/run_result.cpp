#include "run_result.hpp"

namespace ipcsim::model {

void ChannelCounts::delivered(std::uint32_t spec, const Lineage& lineage, double received) {
  if (lineage.request_sent >= 0)
    channels_[lineage.request_channel].messages.response.add(received - lineage.request_sent);
  if (lineage.first_sent >= 0) channels_[spec].messages.end_to_end.add(received - lineage.first_sent);
}

void ChannelCounts::merge(const ChannelCounts& other) {
  for (std::size_t c = 0; c < channels_.size(); ++c) {
    channels_[c].messages.merge(other.channels_[c].messages);
    channels_[c].receives.merge(other.channels_[c].receives);
  }
  without_channel_.merge(other.without_channel_);
}

void ChannelCounts::report_into(RunResult& result, const std::vector<bool>& chain_end) && {
  result.messages = std::move(without_channel_);
  result.receives = ReceiveStats{};
  for (std::size_t c = 0; c < channels_.size(); ++c) {
    MessageStats counted = channels_[c].messages;
    // A chain's message to a stage that forwards it is part of the chain, not its end.
    if (!chain_end[c]) counted.end_to_end = Quantiles{};
    result.messages.merge(counted);
    result.receives.merge(channels_[c].receives);
  }
  result.channels = std::move(channels_);
}

std::vector<ChannelResult> by_declared_channel(const Model& model, const std::vector<ChannelResult>& instances) {
  std::vector<ChannelResult> declared(model.scenario->channels.size());
  for (std::size_t c = 0; c < instances.size(); ++c) {
    ChannelResult& into = declared[model.channels[c].spec];
    into.messages.merge(instances[c].messages);
    into.receives.merge(instances[c].receives);
  }
  return declared;
}

}  // namespace ipcsim::model
