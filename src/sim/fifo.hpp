#pragma once
// First in, first out, for the processes waiting on a channel and the messages waiting for a
// courier. Unlike std::deque, which allocates on construction, it costs nothing while empty:
// most channels, most of the time (a scenario of 100,000 processes has as many channels).
#include <algorithm>
#include <cstddef>
#include <vector>

namespace ipcsim::sim {

template <class T>
class Fifo {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  const T& front() const { return items_[head_]; }
  const T& operator[](std::size_t i) const { return items_[head_ + i]; }
  auto begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() const { return items_.end(); }

  void push_back(const T& value) { items_.push_back(value); }
  void pop_front() {
    ++head_;
    compact();
  }
  void erase_at(std::size_t i) {
    items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(head_ + i));
    compact();
  }
  void remove(const T& value) {
    items_.erase(std::remove(items_.begin() + static_cast<std::ptrdiff_t>(head_), items_.end(), value), items_.end());
    compact();
  }
  void clear() {
    items_.clear();
    head_ = 0;
  }

 private:
  // Taken entries stay in front until they are half the storage: pops cost O(1) amortized.
  void compact() {
    if (empty()) {
      clear();
    } else if (head_ >= 32 && 2 * head_ >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace ipcsim::sim
