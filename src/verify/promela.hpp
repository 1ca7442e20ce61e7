#pragma once
// A model as a Promela program for SPIN (ipcsim verify): every interleaving of its processes,
// with times, sizes and distributions abstracted away. Promela's channels are the seed's
// semantics: [0] a rendezvous, [N] a bounded buffer. No user text reaches the program: a
// process is p<index>, a channel c<index>; the names stay in the model, and each line of the
// program says which step of which process it plays (for the counterexample).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "model/run_result.hpp"

namespace ipcsim::verify {

/// What the verifier may hold at most: SPIN's state vector must stay small.
inline constexpr std::size_t max_processes = 250;
inline constexpr std::size_t max_channels = 250;
inline constexpr std::uint64_t max_repeat = 1000;

struct PromelaOptions {
  std::uint32_t unbounded_as = 3;  // room an unbounded buffer gets; filling it ends the search (bound reached)
};

/// What a step does to messages, for the counterexample's events.
enum class Act : std::uint8_t {
  none,
  put,           // a message goes into the channel (to a receiver, at a rendezvous)
  take,          // a receive takes the oldest message
  evict_put,     // drop-oldest: the oldest is lost, this one goes in
  send_fails,    // the send's message fails or is lost at once (`reason`)
  receive_none,  // the receive returns no message (`outcome`)
  destroy,       // the mailbox goes: what it holds is lost (`reason`)
  lose_queued,   // a host goes down: the buffer it holds loses its messages (`reason`)
  killed,        // the process dies (`reason`: killed, or host_down)
  restarted,     // it starts its program again, its host up; the mailboxes it owns are made anew
  host_down,     // a fault (`channel` unused; `host`)
  host_up,
};

/// What a line of the program does, for the counterexample: a step's outcome, or the wait a
/// process is found in at a deadlock.
struct LineMeaning {
  model::ProcessId process = model::none;
  std::uint32_t op = model::none;  // index into the process's program
  model::ChannelId channel = model::none;
  std::string says{};   // "sends to", "times out on", ...; empty: nothing to print
  std::string waits{};  // what the process waits for when blocked at this line
  bool bound = false;   // the assertion that an unbounded buffer stayed in its room
  Act act = Act::none;
  Reason reason = Reason::none;                                // send_fails, destroy
  model::ReceiveResult outcome = model::ReceiveResult::empty;  // receive_none
  model::HostId host = model::none;                            // host_down, host_up, lose_queued
};

struct Promela {
  std::string text;
  std::vector<LineMeaning> lines;  // lines[k]: line k + 1 of text
};

/// Why a model cannot be verified: a one-line reason, and the scenario's line when a step is the cause.
struct Unverifiable {
  int line = 0;
  std::string why;
};
std::optional<Unverifiable> unverifiable(const model::Model& model);

/// The program; the model must be verifiable.
Promela to_promela(const model::Model& model, const PromelaOptions& options);

}  // namespace ipcsim::verify
