#pragma once
// Whether this build runs under AddressSanitizer or ThreadSanitizer: GCC says so with
// __SANITIZE_ADDRESS__ / __SANITIZE_THREAD__, clang only through __has_feature.

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define IPCSIM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define IPCSIM_SANITIZED 1
#endif
#endif
#ifndef IPCSIM_SANITIZED
#define IPCSIM_SANITIZED 0
#endif

namespace ipcsim {

inline constexpr bool sanitized_build = IPCSIM_SANITIZED == 1;

}  // namespace ipcsim
