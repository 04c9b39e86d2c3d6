//===- Sha256Test.cpp - SHA-256 against the FIPS 180-4 test vectors ------===//

#include "Sha256.h"

#include <gtest/gtest.h>

#include <string>

using namespace gemmrt::impl;

static std::string hex(const std::string &s) {
  return Sha256::hashHex(s.data(), s.size());
}

TEST(Sha256, EmptyString) {
  EXPECT_EQ(hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Abc) {
  EXPECT_EQ(hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, TwoBlockMessage) {
  EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, MillionAs) {
  std::string a(1000000, 'a');
  EXPECT_EQ(hex(a),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalUpdatesMatchOneShot) {
  std::string data;
  for (int i = 0; i < 1000; ++i)
    data.push_back(char(i * 7 + 3));
  // Split at every offset around the 64-byte block and 56-byte pad limits.
  for (size_t split : {0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 999, 1000}) {
    Sha256 h;
    h.update(data.data(), split);
    h.update(data.data() + split, data.size() - split);
    EXPECT_EQ(toHex(h.finish()), hex(data)) << "split at " << split;
  }
}

TEST(Sha256, PaddingBoundaries) {
  // Lengths 55, 56, 63, 64 exercise one- and two-block padding.
  const char *expected[] = {
      "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
      "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
      "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
      "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"};
  size_t lengths[] = {55, 56, 63, 64};
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(hex(std::string(lengths[i], 'a')), expected[i])
        << lengths[i] << " bytes";
}
