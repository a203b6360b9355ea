//===- SignatureTest.cpp - qc_signature parsing ---------------------------===//

#include "Signature.h"

#include "quantc/runtime.h"

#include <gtest/gtest.h>

#include <string>

namespace {

// Parses `text`, keeping the result and status alive for the test's checks.
struct Parsed {
  explicit Parsed(const char *text) { status = qc::parseSignature(text, &sig); }
  ~Parsed() {
    qc::freeSignature(&sig);
    qc_status_free(status);
  }
  std::string message() const { return qc_status_message(status); }
  qc::Signature sig;
  qc_status_t status;
};

// Expects `text` to be rejected as INTERNAL with `fragment` in the message.
void expectRejected(const std::string &text, const std::string &fragment) {
  Parsed parsed(text.c_str());
  ASSERT_NE(parsed.status, nullptr) << "accepted: " << text;
  EXPECT_EQ(qc_status_code(parsed.status), QC_STATUS_INTERNAL);
  EXPECT_NE(parsed.message().find(fragment), std::string::npos)
      << "message: " << parsed.message();
  EXPECT_EQ(parsed.sig.inputs, nullptr);
  EXPECT_EQ(parsed.sig.modelName, nullptr);
}

const std::string kHeader =
    "quantc-signature 2\nmodel m\nresults out-params\n";

TEST(SignatureTest, ParsesEveryField) {
  Parsed parsed("quantc-signature 2\n"
                "model my%20model\n"
                "results out-params\n"
                "input x f32 2 1 3\n"
                "input a%2Bb:0 bool 0\n"
                "output y i64 3 4 0 5\n");
  ASSERT_EQ(parsed.status, nullptr) << parsed.message();
  const qc::Signature &sig = parsed.sig;
  EXPECT_STREQ(sig.modelName, "my model");
  ASSERT_EQ(sig.inputCount, 2u);
  ASSERT_EQ(sig.outputCount, 1u);
  EXPECT_STREQ(sig.inputs[0].name, "x");
  EXPECT_EQ(sig.inputs[0].dtype, QC_DTYPE_F32);
  ASSERT_EQ(sig.inputs[0].rank, 2);
  EXPECT_EQ(sig.inputs[0].dims[0], 1);
  EXPECT_EQ(sig.inputs[0].dims[1], 3);
  EXPECT_EQ(sig.inputs[0].byteSize, 12u);
  EXPECT_STREQ(sig.inputs[1].name, "a+b:0");
  EXPECT_EQ(sig.inputs[1].dtype, QC_DTYPE_BOOL);
  EXPECT_EQ(sig.inputs[1].rank, 0);
  EXPECT_EQ(sig.inputs[1].byteSize, 1u);
  EXPECT_STREQ(sig.outputs[0].name, "y");
  EXPECT_EQ(sig.outputs[0].dtype, QC_DTYPE_I64);
  ASSERT_EQ(sig.outputs[0].rank, 3);
  EXPECT_EQ(sig.outputs[0].dims[1], 0);
  EXPECT_EQ(sig.outputs[0].byteSize, 0u);
}

TEST(SignatureTest, AcceptsEveryDtype) {
  const char *names[] = {"f32", "f64", "f16", "i8",  "i16", "i32",
                         "i64", "u8",  "u16", "u32", "u64", "bool"};
  for (const char *name : names) {
    std::string text = kHeader + "input x " + name + " 1 2\n";
    Parsed parsed(text.c_str());
    ASSERT_EQ(parsed.status, nullptr) << parsed.message();
    EXPECT_STREQ(qc_dtype_name(parsed.sig.inputs[0].dtype), name);
    EXPECT_EQ(parsed.sig.inputs[0].byteSize,
              2 * qc_dtype_size(parsed.sig.inputs[0].dtype));
  }
}

TEST(SignatureTest, AcceptsMissingFinalNewlineAndNoTensors) {
  Parsed noNewline(
      "quantc-signature 2\nmodel m\nresults out-params\noutput y f32 1 2");
  ASSERT_EQ(noNewline.status, nullptr) << noNewline.message();
  EXPECT_EQ(noNewline.sig.outputCount, 1u);
  Parsed bare("quantc-signature 2\nmodel m\nresults returned\n");
  ASSERT_EQ(bare.status, nullptr) << bare.message();
  EXPECT_EQ(bare.sig.inputCount, 0u);
  EXPECT_EQ(bare.sig.outputCount, 0u);
}

TEST(SignatureTest, AcceptsEmptyModelName) {
  Parsed parsed(
      "quantc-signature 2\nmodel \nresults out-params\ninput x f32 0\n");
  ASSERT_EQ(parsed.status, nullptr) << parsed.message();
  EXPECT_STREQ(parsed.sig.modelName, "");
}

TEST(SignatureTest, AllowsAnOutputNamedLikeAnInput) {
  // ONNX lets a graph output be one of its inputs.
  Parsed parsed((kHeader + "input x f32 0\noutput x f32 0\n").c_str());
  EXPECT_EQ(parsed.status, nullptr) << parsed.message();
}

TEST(SignatureTest, RejectsNullAndEmpty) {
  Parsed null(nullptr);
  EXPECT_EQ(qc_status_code(null.status), QC_STATUS_INTERNAL);
  expectRejected("", "empty");
}

TEST(SignatureTest, RejectsBadHeader) {
  expectRejected("hello\nmodel m\n", "line 1: expected 'quantc-signature 2'");
  expectRejected("quantc-signature  2\nmodel m\n", "line 1");
  expectRejected("quantc-signature 2 x\nmodel m\n", "line 1");
  expectRejected("quantc-signature 1\nmodel m\n",
                 "unsupported signature version '1'");
}

TEST(SignatureTest, RejectsBadModelLine) {
  expectRejected("quantc-signature 2\n", "missing 'model <name>'");
  expectRejected("quantc-signature 2\nmodel\n", "line 2: expected 'model");
  expectRejected("quantc-signature 2\ninput x f32 0\n", "line 2");
  expectRejected("quantc-signature 2\nmodel a b\n", "model name 'a b'");
}

TEST(SignatureTest, RejectsBadResultsLine) {
  expectRejected("quantc-signature 2\nmodel m\n", "missing 'results");
  expectRejected("quantc-signature 2\nmodel m\ninput x f32 0\n",
                 "line 3: expected 'results out-params' or 'results returned'");
  expectRejected("quantc-signature 2\nmodel m\nresults out-params\n"
                 "output y f32 1 ?0:-1:\n",
                 "output 'y' has a run-time dim but results are out-params");
}

TEST(SignatureTest, ParsesRunTimeDims) {
  Parsed parsed("quantc-signature 2\nmodel m\nresults returned\n"
                "input ids i64 3 ?1:8:batch ?0:-1:seq%20len 4\n"
                "output y f32 1 ?0:-1:\n");
  ASSERT_EQ(parsed.status, nullptr) << parsed.message();
  const qc::TensorSignature &ids = parsed.sig.inputs[0];
  EXPECT_TRUE(parsed.sig.resultsReturned);
  EXPECT_FALSE(ids.isStatic);
  EXPECT_EQ(ids.byteSize, 0u);
  EXPECT_EQ(ids.dims[0], -1);
  EXPECT_EQ(ids.minDims[0], 1);
  EXPECT_EQ(ids.maxDims[0], 8);
  EXPECT_STREQ(ids.dimNames[0], "batch");
  EXPECT_EQ(ids.dims[1], -1);
  EXPECT_EQ(ids.maxDims[1], -1);
  EXPECT_STREQ(ids.dimNames[1], "seq len");
  EXPECT_EQ(ids.dims[2], 4);
  EXPECT_EQ(ids.minDims[2], 4);
  EXPECT_EQ(ids.maxDims[2], 4);
  EXPECT_STREQ(ids.dimNames[2], "");
  EXPECT_STREQ(parsed.sig.outputs[0].dimNames[0], "");
}

TEST(SignatureTest, RejectsUnknownLines) {
  expectRejected(kHeader + "inptu x f32 0\n", "line 4: expected an 'input'");
  expectRejected(kHeader + "input x f32 0\n\noutput y f32 0\n", "line 5");
  expectRejected(kHeader + "input\n", "line 4: expected 'input <name>");
  expectRejected(kHeader + "output y\n", "expected 'output <name>");
  expectRejected(kHeader + "input x f32 0\r\n", "line 4");
}

TEST(SignatureTest, RejectsEmptyFields) {
  expectRejected(kHeader + "input  f32 0\n", "empty input name");
  expectRejected(kHeader + "input x f32 0 \n", "rank 0 but 1 dims");
  expectRejected(kHeader + "input x f32 2 2  3\n", "rank 2 but 3 dims");
}

TEST(SignatureTest, RejectsBadNames) {
  expectRejected(kHeader + "input a+b f32 0\n", "name 'a+b' is not percent");
  expectRejected(kHeader + "input a%2 f32 0\n", "not percent-encoded");
  expectRejected(kHeader + "input a%zz f32 0\n", "not percent-encoded");
  expectRejected(kHeader + "input a%00b f32 0\n", "not percent-encoded");
}

TEST(SignatureTest, RejectsBadDtype) {
  expectRejected(kHeader + "input x f128 0\n", "unknown dtype 'f128' for 'x'");
  expectRejected(kHeader + "input x F32 0\n", "unknown dtype 'F32'");
}

TEST(SignatureTest, RejectsBadRankAndDims) {
  expectRejected(kHeader + "input x f32 two\n", "expected an integer rank");
  expectRejected(kHeader + "input x f32 -2\n", "invalid rank -2");
  expectRejected(kHeader + "input x f32 99999999999\n", "invalid rank");
  expectRejected(kHeader + "input x f32 2 3\n", "rank 2 but 1 dims");
  expectRejected(kHeader + "input x f32 1 3 4\n", "rank 1 but 2 dims");
  // A corrupt rank must not make the parser allocate for it.
  expectRejected(kHeader + "input x f32 2000000000 1\n", "but 1 dims");
  expectRejected(kHeader + "input x f32 1 3x\n", "expected an integer dim");
  expectRejected(kHeader + "input x f32 1 -\n", "expected an integer dim");
  expectRejected(kHeader + "input x f32 1 -5\n", "negative dim -5");
  expectRejected(kHeader + "input x f32 1 -1\n", "negative dim -1");
  expectRejected(kHeader + "input x f32 1 ?\n", "expected a dim '?MIN:MAX:NAME'");
  expectRejected(kHeader + "input x f32 1 ?1:x:n\n",
                 "expected an integer dim bound");
  expectRejected(kHeader + "input x f32 1 ?5:2:n\n", "invalid dim bounds 5..2");
  expectRejected(kHeader + "input x f32 1 ?-1:2:n\n", "invalid dim bounds");
  expectRejected(kHeader + "input x f32 1 ?0:-1:a%zz\n", "dim name");
  expectRejected(kHeader + "input x f32 1 99999999999999999999\n",
                 "expected an integer dim");
}

TEST(SignatureTest, RejectsOverflowingSizes) {
  expectRejected(kHeader + "input x f32 2 4611686018427387904 4\n",
                 "'x' has too many elements");
  expectRejected(kHeader + "input x f64 1 2305843009213693952\n",
                 "'x' is too large");
}

TEST(SignatureTest, RejectsDuplicateNames) {
  expectRejected(kHeader + "input x f32 0\ninput x f32 0\n",
                 "input 'x' is listed twice");
  expectRejected(kHeader + "output y f32 0\noutput y f32 0\n",
                 "output 'y' is listed twice");
}

TEST(SignatureTest, ErrorsSayTheLibraryIsBroken) {
  expectRejected(kHeader + "input x f128 0\n", "damaged");
}

} // namespace
