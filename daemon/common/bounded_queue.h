// BoundedQueue: a fixed-capacity FIFO between threads. TryPush never blocks
// and PushUntil waits for room up to a deadline (the producer decides what to
// do when still full: the consumer thread pauses its partitions); Pop waits up
// to a timeout. Close lets consumers drain and stop.
//
// A producer waiting for room is woken once the queue is down to half its
// capacity, not at every pop: while a backlog drains the queue is full, and a
// wake per item made producer and consumer trade the core at every message.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace leakd {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  // False when full or closed; `item` is then left untouched.
  bool TryPush(T& item) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_ || items_.size() >= capacity_) return false;
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
    return true;
  }

  // Like TryPush, but waits for room until `deadline`.
  template <typename TimePoint>
  bool PushUntil(T& item, TimePoint deadline) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      room_.wait_until(lock, deadline, [&] { return closed_ || items_.size() < capacity_; });
      if (closed_ || items_.size() >= capacity_) return false;
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
    return true;
  }

  // An item, or nullopt after the timeout or once closed and empty.
  std::optional<T> Pop(std::chrono::milliseconds timeout) {
    std::optional<T> item;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ready_.wait_for(lock, timeout, [&] { return !items_.empty() || closed_; });
      if (items_.empty()) return std::nullopt;
      item = std::move(items_.front());
      items_.pop_front();
      if (items_.size() > capacity_ / 2) return item;
    }
    room_.notify_all();
    return item;
  }

  void Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    ready_.notify_all();
    room_.notify_all();
  }
  bool closed_and_empty() const {
    std::lock_guard<std::mutex> lock(mu_);
    return closed_ && items_.empty();
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return items_.size();
  }

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace leakd
