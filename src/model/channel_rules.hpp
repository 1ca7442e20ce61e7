#pragma once
// The channel decisions of DESIGN.md §1, written once for both runners: what a send does when
// its message has no room, and which waiting receiver gets a message. The runners keep the
// state (buffers, waiting lists, threads) and carry the decisions out.
#include <cstddef>

#include "model.hpp"

namespace ipcsim::model {

/// What a send does when the channel has no room for its message now: a bounded buffer full
/// (every slot holds a message or is promised to one on its way), or, at capacity 0, no
/// receiver waiting.
struct NoRoom {
  enum class Action {
    wait,          // until room comes (a timed send at most until its deadline: then `gave_up`)
    fail,          // the send fails with `reason`; the sender is told
    drop_message,  // the message is lost with `reason`; the sender is not told (like a datagram)
    evict_oldest,  // the oldest queued message is lost with `reason`, and this one takes its slot
  };
  Action action;
  Reason reason = Reason::none;
};

/// `oldest_queued`: the buffer holds a message to evict (with drop-oldest, when every slot is
/// promised to a message still on its way, the new one is dropped instead).
inline NoRoom when_no_room(const scenario::ChannelSpec& spec, SendMode mode, bool oldest_queued) {
  using enum NoRoom::Action;
  const bool nonblocking = mode == SendMode::nonblocking;
  if (spec.capacity.rendezvous())  // no buffer to be full: no full policy
    return nonblocking ? NoRoom{fail, Reason::would_block} : NoRoom{wait};
  switch (spec.full) {
    case FullPolicy::fail:
      return {fail, nonblocking ? Reason::would_block : Reason::full};
    case FullPolicy::drop_newest:
      return {drop_message, Reason::dropped_newest};
    case FullPolicy::drop_oldest:
      return oldest_queued ? NoRoom{evict_oldest, Reason::dropped_oldest}
                           : NoRoom{drop_message, Reason::dropped_newest};
    case FullPolicy::block:
      break;
  }
  return nonblocking ? NoRoom{fail, Reason::would_block} : NoRoom{wait};
}

/// When a send call returns, its message having found room (or a receiver, at capacity 0).
enum class SendReturns {
  at_once,     // nonblocking; blocking and timed into a sender buffer, which took the message
  on_arrival,  // blocking and timed: when the message reaches the buffer (or the receiver at capacity 0)
  when_taken,  // synchronous: when a receiver has taken the message
};

inline SendReturns send_returns(const scenario::ChannelSpec& spec, SendMode mode) {
  switch (mode) {
    case SendMode::nonblocking:
      return SendReturns::at_once;
    case SendMode::synchronous:
      return SendReturns::when_taken;
    case SendMode::blocking:
    case SendMode::timeout:
      break;
  }
  return spec.sender_buffer ? SendReturns::at_once : SendReturns::on_arrival;
}

/// Why a timed send that waited for room (or for a receiver, at capacity 0) gave up.
inline constexpr Reason gave_up = Reason::timeout;

/// Which of the waiting receivers gets a message: an index into `waiting`, the receivers in
/// the order they started waiting (not empty). `last_served`: the receiver the channel served
/// last (round-robin), or none. `Rng` draws the random pick.
template <class Waiting>
std::size_t choose_receiver(ReceiverPolicy policy, const Waiting& waiting, ProcessId last_served, scenario::Rng& rng) {
  switch (policy) {
    case ReceiverPolicy::fifo:
      return 0;  // the longest waiting
    case ReceiverPolicy::round_robin: {
      // The next receiver after the last one served, in process order, wrapping around.
      std::size_t after = waiting.size(), lowest = 0;
      for (std::size_t i = 0; i < waiting.size(); ++i) {
        if (waiting[i] < waiting[lowest]) lowest = i;
        if (last_served != none && waiting[i] > last_served && (after == waiting.size() || waiting[i] < waiting[after]))
          after = i;
      }
      return after == waiting.size() ? lowest : after;
    }
    case ReceiverPolicy::random:
      return static_cast<std::size_t>(rng() % waiting.size());
  }
  return 0;
}

}  // namespace ipcsim::model
