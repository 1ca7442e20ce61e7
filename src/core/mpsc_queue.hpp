#pragma once
// Unbounded multi-producer / single-consumer queue (D. Vyukov's intrusive MPSC list).
//
// Why a single consumer: with one consumer, the consumer alone frees nodes, and it frees
// a node only after a producer has linked its successor, so no producer can still touch
// it. Several consumers would need safe memory reclamation (hazard pointers or epochs) on
// the hot path. ipcsim gives each receiver its own queue in the direct cases; a mailbox
// shared by receivers uses the MPMC ring.
//
// A push is one exchange on the tail plus a store: wait-free for producers. A producer
// paused between the two hides later elements from the consumer until it resumes, so
// try_pop may report empty while a push is half done; it never loses or reorders an
// element (FIFO per producer).
#include <atomic>
#include <cstddef>
#include <optional>
#include <utility>

#include "layout.hpp"

namespace ipcsim::core {

template <class T>
class MpscQueue {
 public:
  MpscQueue() : head_(&stub_), tail_(&stub_) {
    // What may share a line: nothing; the consumer's head, the producers' tail and the stub
    // node (written by whoever pushes onto an empty queue) each alone.
    static_assert(alignof(MpscQueue) >= false_sharing_span);
    static_assert(in_different_spans(offsetof(MpscQueue, head_), sizeof(void*), offsetof(MpscQueue, tail_)));
    static_assert(in_different_spans(offsetof(MpscQueue, tail_), sizeof(tail_), offsetof(MpscQueue, stub_)));
  }
  MpscQueue(const MpscQueue&) = delete;
  MpscQueue& operator=(const MpscQueue&) = delete;
  ~MpscQueue() {
    while (try_pop()) {
    }
    if (head_ != &stub_) delete static_cast<Node*>(head_);
  }

  template <class... Args>
  void emplace(Args&&... args) {
    push_node(new Node(std::forward<Args>(args)...));
  }
  template <class U>
  void push(U&& value) {
    emplace(std::forward<U>(value));
  }
  /// Never fails: the queue is unbounded. Same signature as the rings' for adapters.
  template <class U>
  [[nodiscard]] bool try_push(U&& value) {
    emplace(std::forward<U>(value));
    return true;
  }

  /// Consumer only.
  [[nodiscard]] std::optional<T> try_pop() {
    NodeBase* head = head_;
    // acquire: pairs with the producer's release store of `next`, publishing the element.
    NodeBase* next = head->next.load(std::memory_order_acquire);
    if (!next) return std::nullopt;
    auto* node = static_cast<Node*>(next);
    std::optional<T> out(std::move(node->value));
    head_ = next;  // `next` becomes the new stub; its value is moved-from and destroyed with it
    if (head != &stub_) delete static_cast<Node*>(head);
    return out;
  }
  [[nodiscard]] bool try_pop(T& out) {
    auto value = try_pop();
    if (!value) return false;
    out = std::move(*value);
    return true;
  }

 private:
  struct NodeBase {
    std::atomic<NodeBase*> next{nullptr};
  };
  struct Node : NodeBase {
    template <class... Args>
    explicit Node(Args&&... args) : value(std::forward<Args>(args)...) {}
    T value;
  };

  void push_node(NodeBase* node) {
    // acq_rel: acquire the previous tail (so its `next` field is ours to write), release
    // our node's construction to whoever exchanges after us.
    NodeBase* previous = tail_.exchange(node, std::memory_order_acq_rel);
    previous->next.store(node, std::memory_order_release);  // release: publishes the element
  }

  alignas(false_sharing_span) NodeBase* head_;  // consumer's
  alignas(false_sharing_span) std::atomic<NodeBase*> tail_;
  alignas(false_sharing_span) NodeBase stub_;
};

}  // namespace ipcsim::core
