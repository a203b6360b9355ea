//===- Signature.cpp - Parsing qc_signature -------------------------------===//
//
// The signature is produced by our own compiler, but a library file can be
// damaged or come from another quantc version, so every field is checked and
// any deviation from docs/runtime-abi.md is an error rather than a guess.
//
//===----------------------------------------------------------------------===//

#include "Signature.h"

#include "Dtype.h"
#include "Status.h"

#include <stdlib.h>
#include <string.h>

namespace qc {
namespace {

// Longest excerpt of a bad field quoted in a message.
constexpr int kMaxQuoted = 64;

struct Span {
  const char *begin;
  const char *end;
  size_t size() const { return size_t(end - begin); }
  int quotedLength() const {
    return size() > size_t(kMaxQuoted) ? kMaxQuoted : int(size());
  }
  bool equals(const char *literal) const {
    return size() == strlen(literal) && memcmp(begin, literal, size()) == 0;
  }
};

// Splits one line into fields separated by single spaces. Two spaces in a
// row, or a leading or trailing space, yield an empty field, which every
// caller rejects.
class FieldReader {
public:
  explicit FieldReader(Span line) : pos_(line.begin), end_(line.end) {}

  bool next(Span *field) {
    if (done_)
      return false;
    const char *space = static_cast<const char *>(
        memchr(pos_, ' ', size_t(end_ - pos_)));
    const char *fieldEnd = space ? space : end_;
    *field = Span{pos_, fieldEnd};
    if (space)
      pos_ = space + 1;
    else
      done_ = true;
    return true;
  }
  bool atEnd() const { return done_; }
  // Fields not read yet.
  size_t remaining() const {
    if (done_)
      return 0;
    size_t count = 1;
    for (const char *p = pos_; p < end_; ++p)
      count += *p == ' ';
    return count;
  }

private:
  const char *pos_;
  const char *end_;
  bool done_ = false;
};

bool isPlainNameByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
         c == '/' || c == '-';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

class Parser {
public:
  Parser(const char *text, Signature *out) : text_(text), out_(out) {}
  qc_status_t parse();

private:
  qc_status_t error(const char *format, ...)
      __attribute__((format(printf, 2, 3)));
  qc_status_t allocateTensors();
  qc_status_t parseHeader(Span line);
  qc_status_t parseModel(Span line);
  qc_status_t parseResults(Span line);
  qc_status_t parseDim(Span field, TensorSignature *tensor, int64_t i);
  qc_status_t parseTensor(Span line, TensorSignature *tensor);
  qc_status_t decodeName(Span field, const char *what, char **out);
  qc_status_t parseInteger(Span field, const char *what, int64_t *out);
  qc_status_t checkDuplicates(const TensorSignature *tensors, size_t count,
                              const char *kind);
  bool nextLine(Span *line);

  const char *text_;
  Signature *out_;
  const char *pos_ = nullptr;
  size_t lineNumber_ = 0;
  size_t inputCapacity_ = 0;
  size_t outputCapacity_ = 0;
};

qc_status_t Parser::error(const char *format, ...) {
  MessageBuilder message;
  message.append("invalid model signature");
  if (lineNumber_ > 0)
    message.append(", line %zu", lineNumber_);
  message.append(": ");
  va_list args;
  va_start(args, format);
  message.appendV(format, args);
  va_end(args);
  message.append(" (the library is damaged or was built by an incompatible "
                 "quantc)");
  return message.toStatus(QC_STATUS_INTERNAL);
}

// Yields the lines of the text; a final '\n' ends the last line rather than
// starting an empty one.
bool Parser::nextLine(Span *line) {
  if (*pos_ == '\0')
    return false;
  const char *end = strchr(pos_, '\n');
  if (!end)
    end = pos_ + strlen(pos_);
  *line = Span{pos_, end};
  pos_ = *end == '\n' ? end + 1 : end;
  ++lineNumber_;
  return true;
}

// Counts the input and output lines first so each list is one allocation.
// The main loop recognises the same keywords, and checks the capacity too.
qc_status_t Parser::allocateTensors() {
  const char *savedPos = pos_;
  size_t savedLine = lineNumber_;
  Span line;
  while (nextLine(&line)) {
    FieldReader fields(line);
    Span keyword;
    fields.next(&keyword);
    if (keyword.equals("input"))
      ++inputCapacity_;
    else if (keyword.equals("output"))
      ++outputCapacity_;
  }
  pos_ = savedPos;
  lineNumber_ = savedLine;
  if (inputCapacity_) {
    out_->inputs = static_cast<TensorSignature *>(
        calloc(inputCapacity_, sizeof(TensorSignature)));
    if (!out_->inputs)
      return outOfMemoryStatus();
  }
  if (outputCapacity_) {
    out_->outputs = static_cast<TensorSignature *>(
        calloc(outputCapacity_, sizeof(TensorSignature)));
    if (!out_->outputs)
      return outOfMemoryStatus();
  }
  return nullptr;
}

qc_status_t Parser::parseHeader(Span line) {
  FieldReader fields(line);
  Span magic, version;
  if (!fields.next(&magic) || !magic.equals("quantc-signature") ||
      !fields.next(&version) || !fields.atEnd())
    return error("expected 'quantc-signature 2', got '%.*s'",
                 line.quotedLength(), line.begin);
  if (!version.equals("2"))
    return error("unsupported signature version '%.*s' (this runtime reads "
                 "version 2)",
                 version.quotedLength(), version.begin);
  return nullptr;
}

qc_status_t Parser::parseModel(Span line) {
  // The model name may be empty (ONNX makes graph names optional), so the
  // name is everything after "model ", not a field that must be non-empty.
  if (line.size() < 6 || memcmp(line.begin, "model ", 6) != 0)
    return error("expected 'model <name>', got '%.*s'", line.quotedLength(),
                 line.begin);
  Span name{line.begin + 6, line.end};
  return decodeName(name, "model name", &out_->modelName);
}

qc_status_t Parser::parseResults(Span line) {
  if (line.equals("results out-params"))
    out_->resultsReturned = false;
  else if (line.equals("results returned"))
    out_->resultsReturned = true;
  else
    return error("expected 'results out-params' or 'results returned', got "
                 "'%.*s'",
                 line.quotedLength(), line.begin);
  return nullptr;
}

// A dim is a size, or `?MIN:MAX:NAME` for one known only at run time.
qc_status_t Parser::parseDim(Span field, TensorSignature *tensor, int64_t i) {
  if (field.size() == 0 || *field.begin != '?') {
    int64_t dim = 0;
    if (qc_status_t status = parseInteger(field, "dim", &dim))
      return status;
    if (dim < 0)
      return error("'%s' has a negative dim %lld", tensor->name,
                   (long long)dim);
    tensor->dims[i] = tensor->minDims[i] = tensor->maxDims[i] = dim;
    tensor->dimNames[i] = static_cast<char *>(calloc(1, 1));
    return tensor->dimNames[i] ? nullptr : outOfMemoryStatus();
  }
  const char *firstColon = static_cast<const char *>(
      memchr(field.begin, ':', field.size()));
  const char *secondColon =
      firstColon ? static_cast<const char *>(memchr(
                       firstColon + 1, ':', size_t(field.end - firstColon - 1)))
                 : nullptr;
  if (!secondColon)
    return error("'%s': expected a dim '?MIN:MAX:NAME', got '%.*s'",
                 tensor->name, field.quotedLength(), field.begin);
  int64_t min = 0, max = 0;
  if (qc_status_t status =
          parseInteger(Span{field.begin + 1, firstColon}, "dim bound", &min))
    return status;
  if (qc_status_t status =
          parseInteger(Span{firstColon + 1, secondColon}, "dim bound", &max))
    return status;
  if (min < 0 || max < -1 || (max >= 0 && max < min))
    return error("'%s' has invalid dim bounds %lld..%lld", tensor->name,
                 (long long)min, (long long)max);
  tensor->dims[i] = -1;
  tensor->minDims[i] = min;
  tensor->maxDims[i] = max;
  tensor->isStatic = false;
  return decodeName(Span{secondColon + 1, field.end}, "dim name",
                    &tensor->dimNames[i]);
}

qc_status_t Parser::decodeName(Span field, const char *what, char **out) {
  char *decoded = static_cast<char *>(malloc(field.size() + 1));
  if (!decoded)
    return outOfMemoryStatus();
  size_t length = 0;
  for (const char *p = field.begin; p < field.end; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (isPlainNameByte(c)) {
      decoded[length++] = char(c);
      continue;
    }
    int high = -1, low = -1;
    if (c == '%' && field.end - p >= 3) {
      high = hexValue(p[1]);
      low = hexValue(p[2]);
    }
    if (c != '%' || high < 0 || low < 0 || (high == 0 && low == 0)) {
      free(decoded);
      return error("%s '%.*s' is not percent-encoded correctly at byte %zu",
                   what, field.quotedLength(), field.begin,
                   size_t(p - field.begin));
    }
    decoded[length++] = char(high * 16 + low);
    p += 2;
  }
  decoded[length] = '\0';
  *out = decoded;
  return nullptr;
}

qc_status_t Parser::parseInteger(Span field, const char *what, int64_t *out) {
  const char *p = field.begin;
  bool negative = p < field.end && *p == '-';
  if (negative)
    ++p;
  if (p == field.end)
    return error("expected an integer %s, got '%.*s'", what,
                 field.quotedLength(), field.begin);
  int64_t value = 0;
  for (; p < field.end; ++p) {
    if (*p < '0' || *p > '9' ||
        __builtin_mul_overflow(value, int64_t(10), &value) ||
        __builtin_add_overflow(value, int64_t(*p - '0'), &value))
      return error("expected an integer %s, got '%.*s'", what,
                   field.quotedLength(), field.begin);
  }
  *out = negative ? -value : value;
  return nullptr;
}

qc_status_t Parser::parseTensor(Span line, TensorSignature *tensor) {
  FieldReader fields(line);
  Span keyword, name, dtype, rankField;
  fields.next(&keyword);
  if (!fields.next(&name) || !fields.next(&dtype) || !fields.next(&rankField))
    return error("expected '%.*s <name> <dtype> <rank> <dims...>'",
                 keyword.quotedLength(), keyword.begin);
  if (name.size() == 0)
    return error("empty %.*s name", keyword.quotedLength(), keyword.begin);
  if (qc_status_t status = decodeName(name, "name", &tensor->name))
    return status;
  if (!parseDtype(dtype.begin, dtype.size(), &tensor->dtype))
    return error("unknown dtype '%.*s' for '%s'", dtype.quotedLength(),
                 dtype.begin, tensor->name);
  int64_t rank = 0;
  if (qc_status_t status = parseInteger(rankField, "rank", &rank))
    return status;
  if (rank < 0 || rank > INT32_MAX)
    return error("invalid rank %lld for '%s'", (long long)rank, tensor->name);
  // Checked before allocating so a corrupt rank cannot ask for gigabytes.
  if (size_t(rank) != fields.remaining())
    return error("'%s' has rank %lld but %zu dims", tensor->name,
                 (long long)rank, fields.remaining());
  tensor->rank = int32_t(rank);
  tensor->isStatic = true;
  if (rank > 0) {
    tensor->dims =
        static_cast<int64_t *>(calloc(3 * size_t(rank), sizeof(int64_t)));
    tensor->dimNames = static_cast<char **>(calloc(size_t(rank), sizeof(char *)));
    if (!tensor->dims || !tensor->dimNames)
      return outOfMemoryStatus();
    tensor->minDims = tensor->dims + rank;
    tensor->maxDims = tensor->dims + 2 * rank;
  }
  int64_t elements = 1;
  for (int64_t i = 0; i < rank; ++i) {
    Span dimField;
    fields.next(&dimField);
    if (qc_status_t status = parseDim(dimField, tensor, i))
      return status;
    if (tensor->dims[i] >= 0 &&
        __builtin_mul_overflow(elements, tensor->dims[i], &elements))
      return error("'%s' has too many elements", tensor->name);
  }
  if (!tensor->isStatic)
    return nullptr;
  if (__builtin_mul_overflow(size_t(elements), qc_dtype_size(tensor->dtype),
                             &tensor->byteSize))
    return error("'%s' is too large", tensor->name);
  return nullptr;
}

// Inputs are bound by name by every wrapper, and outputs are returned by name,
// so a repeated name would make one of them unreachable.
qc_status_t Parser::checkDuplicates(const TensorSignature *tensors,
                                    size_t count, const char *kind) {
  for (size_t i = 0; i < count; ++i)
    for (size_t j = 0; j < i; ++j)
      if (strcmp(tensors[i].name, tensors[j].name) == 0)
        return makeStatus(QC_STATUS_INTERNAL,
                          "invalid model signature: %s '%s' is listed twice",
                          kind, tensors[i].name);
  return nullptr;
}

qc_status_t Parser::parse() {
  pos_ = text_;
  Span line;
  if (!nextLine(&line))
    return error("the signature is empty");
  if (qc_status_t status = parseHeader(line))
    return status;
  if (!nextLine(&line))
    return error("missing 'model <name>' line");
  if (qc_status_t status = parseModel(line))
    return status;
  if (!nextLine(&line))
    return error("missing 'results ...' line");
  if (qc_status_t status = parseResults(line))
    return status;
  if (qc_status_t status = allocateTensors())
    return status;
  while (nextLine(&line)) {
    FieldReader fields(line);
    Span keyword;
    fields.next(&keyword);
    qc_status_t status;
    if (keyword.equals("input") && out_->inputCount < inputCapacity_)
      status = parseTensor(line, &out_->inputs[out_->inputCount++]);
    else if (keyword.equals("output") && out_->outputCount < outputCapacity_)
      status = parseTensor(line, &out_->outputs[out_->outputCount++]);
    else
      status = error("expected an 'input' or 'output' line, got '%.*s'",
                     line.quotedLength(), line.begin);
    if (status)
      return status;
  }
  if (qc_status_t status =
          checkDuplicates(out_->inputs, out_->inputCount, "input"))
    return status;
  if (qc_status_t status =
          checkDuplicates(out_->outputs, out_->outputCount, "output"))
    return status;
  // Out-params need every output's size before the run.
  if (!out_->resultsReturned)
    for (size_t i = 0; i < out_->outputCount; ++i)
      if (!out_->outputs[i].isStatic)
        return makeStatus(QC_STATUS_INTERNAL,
                          "invalid model signature: output '%s' has a "
                          "run-time dim but results are out-params",
                          out_->outputs[i].name);
  return nullptr;
}

} // namespace

qc_status_t parseSignature(const char *text, Signature *out) {
  memset(out, 0, sizeof(*out));
  if (!text)
    return makeStatus(QC_STATUS_INTERNAL, "invalid model signature: NULL");
  Parser parser(text, out);
  qc_status_t status = parser.parse();
  if (status)
    freeSignature(out);
  return status;
}

static void freeTensors(TensorSignature *tensors, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    free(tensors[i].name);
    free(tensors[i].dims);
    if (tensors[i].dimNames)
      for (int32_t d = 0; d < tensors[i].rank; ++d)
        free(tensors[i].dimNames[d]);
    free(tensors[i].dimNames);
  }
  free(tensors);
}

void freeSignature(Signature *signature) {
  free(signature->modelName);
  freeTensors(signature->inputs, signature->inputCount);
  freeTensors(signature->outputs, signature->outputCount);
  memset(signature, 0, sizeof(*signature));
}

} // namespace qc
