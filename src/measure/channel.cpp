#include "channel.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/futex.hpp"
#include "model/channel_rules.hpp"

namespace ipcsim::measure {

void EventLog::add(Clock::time_point when, model::RunEvent event) {
  if (events_.size() == events_.capacity()) {
    const std::size_t before = events_.capacity();
    events_.reserve(std::max<std::size_t>(4096, 2 * before));
    held_bytes_.fetch_add((events_.capacity() - before) * sizeof(model::RunEvent), std::memory_order_relaxed);
  }
  event.time = std::chrono::duration<double>(when.time_since_epoch()).count();
  events_.push_back(event);
}

void Tally::end(Message& message, Reason reason, Clock::time_point now) {
  if (reason != Reason::none)
    note(now, {.kind = model::ending_of(reason),
               .process = message.sender,
               .channel = message.channel,
               .message = message.number,
               .detail = to_string(reason)});
  counts.messages(message.declared_channel)
      .end(reason, message.size, std::chrono::duration<double>(now - message.send_call).count());
  if (reason == Reason::none)
    counts.delivered(message.declared_channel, message.lineage,
                     std::chrono::duration<double>(now.time_since_epoch()).count());
  if (message.payload) {
    message.payload.reset();
    if (live_bytes) live_bytes->fetch_sub(static_cast<std::int64_t>(message.size), std::memory_order_relaxed);
  }
  if (message.ended) {
    message.ended->store(1, std::memory_order_release);
    core::futex_wake_all(*message.ended);
    message.ended = nullptr;
  }
}

void Tally::merge(const Tally& other) { counts.merge(other.counts); }

bool Channel::ExactRing::try_push(Message&& message) {
  std::int64_t room = room_.load(std::memory_order_relaxed);
  do {
    if (room <= 0) return false;
  } while (!room_.compare_exchange_weak(room, room - 1, std::memory_order_acquire, std::memory_order_relaxed));
  ring_.push(std::move(message));
  return true;
}

std::optional<Message> Channel::ExactRing::try_pop() {
  std::optional<Message> message = ring_.try_pop();
  if (message) room_.fetch_add(1, std::memory_order_release);
  return message;
}

std::optional<Message> Channel::SharedList::try_pop() {
  for (int spin = 1; taking_.exchange(true, std::memory_order_acquire); ++spin) {
    if (spin % 64 == 0)
      std::this_thread::yield();  // the holder may have been preempted
    else
      core::cpu_relax();
  }
  std::optional<Message> message = list_.try_pop();
  taking_.store(false, std::memory_order_release);
  return message;
}

Channel::Channel(const scenario::ChannelSpec& spec, bool one_sender_and_receiver) : spec_(spec) {
  const scenario::Capacity& capacity = spec.capacity;
  if (capacity.rendezvous())
    queue_.emplace<core::Handoff<Message>>();
  else if (capacity.unbounded())
    queue_.emplace<core::Blocking<SharedList>>();
  else if (one_sender_and_receiver && spec.full != FullPolicy::drop_oldest)  // drop-oldest pops from the sender
    queue_.emplace<core::Blocking<core::SpscRing<Message>>>(*capacity.limit);
  else
    queue_.emplace<core::Blocking<ExactRing>>(*capacity.limit);
}

Reason Channel::closed_failure() const {
  return closed_reason_.load(std::memory_order_acquire) == Reason::queued_at_end ? Reason::blocked_at_end
                                                                                 : Reason::mailbox_destroyed;
}

Reason Channel::send(Message& message, SendMode mode, Deadline deadline, Tally& tally,
                     std::optional<Clock::time_point>* blocked_at) {
  if (closed()) return closed_failure();
  return std::visit(
      [&](auto& queue) -> Reason {
        for (;;) {
          // A hand-off takes it only if a receiver waits already.
          if (queue.try_push(message)) return Reason::none;
          const model::NoRoom no_room = model::when_no_room(spec_, mode, true);
          switch (no_room.action) {
            case model::NoRoom::Action::fail:
            case model::NoRoom::Action::drop_message:
              return no_room.reason;
            case model::NoRoom::Action::evict_oldest:
              // Nothing to pop: a receiver emptied it meanwhile, so there is room now.
              if (auto oldest = queue.try_pop()) tally.end(*oldest, no_room.reason, Clock::now());
              if (closed()) return closed_failure();
              continue;
            case model::NoRoom::Action::wait:
              if (blocked_at) *blocked_at = Clock::now();
              if (queue.push_until(message, deadline)) return Reason::none;
              return queue.closed() ? closed_failure() : model::gave_up;
          }
        }
      },
      queue_);
}

std::optional<Message> Channel::receive(ReceiveMode mode, Deadline deadline, model::ReceiveResult& why) {
  auto closed_why = [&] {
    return closed_reason_.load(std::memory_order_acquire) == Reason::queued_at_end ? model::ReceiveResult::unfinished
                                                                                   : model::ReceiveResult::failed;
  };
  if (closed()) {
    why = closed_why();
    return std::nullopt;
  }
  std::optional<Message> message = std::visit(
      [&](auto& queue) -> std::optional<Message> {
        if (mode == ReceiveMode::nonblocking) return queue.try_pop();
        return queue.pop_until(deadline);
      },
      queue_);
  if (message) return message;
  if (closed())
    why = closed_why();
  else
    why = mode == ReceiveMode::nonblocking ? model::ReceiveResult::empty : model::ReceiveResult::timed_out;
  return std::nullopt;
}

void Channel::close(Reason reason) {
  Reason open = Reason::none;
  if (!closed_reason_.compare_exchange_strong(open, reason, std::memory_order_acq_rel)) return;
  std::visit([](auto& queue) { queue.close(); }, queue_);
}

void Channel::drain(Tally& tally, Clock::time_point now) {
  Reason reason = closed_reason_.load(std::memory_order_acquire);
  if (reason == Reason::none) reason = Reason::queued_at_end;
  std::visit(
      [&](auto& queue) {
        while (auto message = queue.try_pop()) tally.end(*message, reason, now);
      },
      queue_);
}

}  // namespace ipcsim::measure
