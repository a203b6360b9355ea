//===- NpyFile.cpp - Tensors in host memory and numpy files ---------------===//
//
// Formats: the .npy format is numpy's NEP 1 ("A Simple File Format for NumPy
// Arrays"); .npz is a zip archive (PKWARE APPNOTE) of .npy entries, stored
// uncompressed by np.savez. Python's zipfile, which numpy uses, writes a zip64
// extra field in every local header and zip64 end records for big archives,
// so both are read. Sizes and offsets are taken from the central directory,
// which is correct even when local headers defer them to a data descriptor.
//
//===----------------------------------------------------------------------===//

#include "tools/quantc/NpyFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CRC.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <optional>

using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

namespace quantc {
namespace {


//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

struct DtypeInfo {
  qc_dtype_t dtype;
  const char *name;  // runtime spelling
  char npyKind;      // numpy kind character: f, i, u, b; V (void) for the
                     // types numpy lacks, which ml_dtypes saves as '<V1'/'<V2'
  unsigned size;
};

const DtypeInfo kDtypes[] = {
    {QC_DTYPE_F32, "f32", 'f', 4},  {QC_DTYPE_F64, "f64", 'f', 8},
    {QC_DTYPE_F16, "f16", 'f', 2},  {QC_DTYPE_I8, "i8", 'i', 1},
    {QC_DTYPE_I16, "i16", 'i', 2},  {QC_DTYPE_I32, "i32", 'i', 4},
    {QC_DTYPE_I64, "i64", 'i', 8},  {QC_DTYPE_U8, "u8", 'u', 1},
    {QC_DTYPE_U16, "u16", 'u', 2},  {QC_DTYPE_U32, "u32", 'u', 4},
    {QC_DTYPE_U64, "u64", 'u', 8},  {QC_DTYPE_BOOL, "bool", 'b', 1},
    {QC_DTYPE_BF16, "bf16", 'V', 2},
    {QC_DTYPE_F8E4M3FN, "f8e4m3fn", 'V', 1},
    {QC_DTYPE_F8E4M3FNUZ, "f8e4m3fnuz", 'V', 1},
    {QC_DTYPE_F8E5M2, "f8e5m2", 'V', 1},
    {QC_DTYPE_F8E5M2FNUZ, "f8e5m2fnuz", 'V', 1},
    {QC_DTYPE_F8E8M0, "f8e8m0", 'V', 1},
    {QC_DTYPE_F4E2M1, "f4e2m1", 'V', 1},
    {QC_DTYPE_I4, "i4", 'V', 1},  {QC_DTYPE_U4, "u4", 'V', 1},
    {QC_DTYPE_I2, "i2", 'V', 1},  {QC_DTYPE_U2, "u2", 'V', 1},
};

const DtypeInfo *findDtype(qc_dtype_t dtype) {
  for (const DtypeInfo &info : kDtypes)
    if (info.dtype == dtype)
      return &info;
  return nullptr;
}

// numpy's descr for `info`: "<f4", "|u1", "|b1"...
std::string npyDescr(const DtypeInfo &info) {
  return (llvm::Twine(info.size == 1 ? '|' : '<') + llvm::Twine(info.npyKind) +
          llvm::Twine(info.size))
      .str();
}

constexpr const char *kSupportedDescrs =
    "<f2 <f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 <u4 <u8 |b1, and |V1 <V2 (ml_dtypes' "
    "float8, int4, bfloat16... for inputs of those types)";

// A void array's placeholder dtype until it meets the type it is for.
constexpr qc_dtype_t kVoidPlaceholder1 = QC_DTYPE_U8;
constexpr qc_dtype_t kVoidPlaceholder2 = QC_DTYPE_U16;

Expected<qc_dtype_t> dtypeFromDescr(StringRef descr, StringRef source,
                                    bool &isVoid) {
  isVoid = false;
  StringRef voidBody = descr.ltrim("<>|=");
  // ml_dtypes' float8_e5m2 writes itself as '<f1', which numpy cannot load
  // but quantc can: one byte, typed by the model.
  if (voidBody == "V1" || voidBody == "V2" || voidBody == "f1") {
    isVoid = true;
    return voidBody == "V2" ? kVoidPlaceholder2 : kVoidPlaceholder1;
  }
  StringRef body = descr;
  char order = '=';
  if (!body.empty() && StringRef("<>|=").contains(body.front())) {
    order = body.front();
    body = body.drop_front();
  }
  unsigned size = 0;
  if (body.size() >= 2 && !body.drop_front().getAsInteger(10, size)) {
    for (const DtypeInfo &info : kDtypes) {
      if (info.npyKind == 'V' || info.npyKind != body.front() ||
          info.size != size)
        continue;
      bool littleEndian = order == '<' || (order == '=' &&
                                           llvm::sys::IsLittleEndianHost);
      if (size == 1 || littleEndian)
        return info.dtype;
      if (order == '>' || order == '=')
        return llvm::createStringError(source + ": big-endian dtype '" + descr +
                         "' is not supported; convert it with "
                         "arr.astype(arr.dtype.newbyteorder('<'))");
      break;
    }
  }
  return llvm::createStringError(source + ": unsupported dtype '" + descr +
                   "' (supported: " + kSupportedDescrs + ")");
}

} // namespace

size_t dtypeSize(qc_dtype_t dtype) {
  const DtypeInfo *info = findDtype(dtype);
  return info ? info->size : 0;
}

StringRef dtypeName(qc_dtype_t dtype) {
  const DtypeInfo *info = findDtype(dtype);
  return info ? info->name : "unknown";
}

std::string formatType(qc_dtype_t dtype, llvm::ArrayRef<int64_t> dims) {
  std::string text = dtypeName(dtype).str() + "[";
  llvm::raw_string_ostream os(text);
  llvm::interleave(dims, os, ", ");
  os << "]";
  return text;
}

HostTensor HostTensor::zeros(std::string name, qc_dtype_t dtype,
                             std::vector<int64_t> dims) {
  HostTensor tensor;
  tensor.name = std::move(name);
  tensor.dtype = dtype;
  tensor.dims = std::move(dims);
  tensor.bytes.assign(size_t(tensor.numElements()) * dtypeSize(dtype), 0);
  return tensor;
}

int64_t HostTensor::numElements() const {
  int64_t count = 1;
  for (int64_t dim : dims)
    count *= dim;
  return count;
}

namespace {
// Bytes needed for `dims` of `elementSize`, or nullopt on overflow or a
// negative dim.
std::optional<uint64_t> byteSizeOf(llvm::ArrayRef<int64_t> dims,
                                   uint64_t elementSize) {
  uint64_t total = elementSize;
  for (int64_t dim : dims) {
    if (dim < 0)
      return std::nullopt;
    bool overflow = false;
    total = llvm::SaturatingMultiply(total, uint64_t(dim), &overflow);
    if (overflow || total > uint64_t(INT64_MAX))
      return std::nullopt;
  }
  return total;
}
} // namespace

Error checkTensor(const HostTensor &tensor) {
  StringRef name = tensor.name.empty() ? "(unnamed)" : StringRef(tensor.name);
  const DtypeInfo *info = findDtype(tensor.dtype);
  if (!info)
    return llvm::createStringError("tensor '" + name + "' has an unknown dtype " +
                     llvm::Twine(int(tensor.dtype)));
  std::optional<uint64_t> size = byteSizeOf(tensor.dims, info->size);
  if (!size)
    return llvm::createStringError("tensor '" + name + "' has invalid dims " +
                     formatType(tensor.dtype, tensor.dims));
  if (*size != tensor.bytes.size())
    return llvm::createStringError("tensor '" + name + "' (" +
                     formatType(tensor.dtype, tensor.dims) + ") needs " +
                     llvm::Twine(*size) + " bytes but holds " +
                     llvm::Twine(tensor.bytes.size()));
  return Error::success();
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

namespace {

constexpr StringRef kNpyMagic("\x93NUMPY", 6);
// numpy pads the header so the data starts 64-byte aligned.
constexpr size_t kNpyAlignment = 64;

// Reads the header, a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// Only that shape of literal is accepted: three known keys, string /
// bool / tuple-of-int values.
class NpyHeaderParser {
public:
  NpyHeaderParser(StringRef text, StringRef source)
      : text_(text), source_(source) {}

  Error parse(std::string &descr, bool &fortranOrder,
              std::vector<int64_t> &shape);

private:
  Error error(const llvm::Twine &what) {
    return llvm::createStringError(source_ + ": invalid .npy header (" + what + "): " +
                     text_.rtrim());
  }
  void skipSpace() {
    while (pos_ < text_.size() && llvm::isSpace(text_[pos_]))
      ++pos_;
  }
  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  Expected<std::string> parseString();
  Expected<bool> parseBool();
  Expected<std::vector<int64_t>> parseShape();

  StringRef text_;
  StringRef source_;
  size_t pos_ = 0;
};

Expected<std::string> NpyHeaderParser::parseString() {
  skipSpace();
  if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
    return error("expected a string");
  char quote = text_[pos_++];
  size_t end = text_.find(quote, pos_);
  if (end == StringRef::npos)
    return error("unterminated string");
  std::string value = text_.slice(pos_, end).str();
  pos_ = end + 1;
  return value;
}

Expected<bool> NpyHeaderParser::parseBool() {
  skipSpace();
  StringRef rest = text_.drop_front(pos_);
  if (rest.starts_with("True")) {
    pos_ += 4;
    return true;
  }
  if (rest.starts_with("False")) {
    pos_ += 5;
    return false;
  }
  return error("expected True or False");
}

Expected<std::vector<int64_t>> NpyHeaderParser::parseShape() {
  if (!consume('('))
    return error("expected a shape tuple");
  std::vector<int64_t> shape;
  while (!consume(')')) {
    skipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() && llvm::isDigit(text_[pos_]))
      ++pos_;
    int64_t dim = 0;
    if (text_.slice(start, pos_).getAsInteger(10, dim))
      return error("expected a non-negative integer dim");
    if (pos_ < text_.size() && text_[pos_] == 'L') // Python 2 long
      ++pos_;
    shape.push_back(dim);
    // A tuple separates items with commas; "(3,)" ends with one.
    if (!consume(',') && !peek(')'))
      return error("expected ',' or ')' in the shape");
  }
  return shape;
}

Error NpyHeaderParser::parse(std::string &descr, bool &fortranOrder,
                             std::vector<int64_t> &shape) {
  if (!consume('{'))
    return error("expected '{'");
  bool haveDescr = false, haveOrder = false, haveShape = false;
  while (!consume('}')) {
    Expected<std::string> key = parseString();
    if (!key)
      return key.takeError();
    if (!consume(':'))
      return error("expected ':' after '" + *key + "'");
    if (*key == "descr") {
      if (peek('['))
        return llvm::createStringError(source_ + ": structured arrays are not supported");
      Expected<std::string> value = parseString();
      if (!value)
        return value.takeError();
      descr = *value;
      haveDescr = true;
    } else if (*key == "fortran_order") {
      Expected<bool> value = parseBool();
      if (!value)
        return value.takeError();
      fortranOrder = *value;
      haveOrder = true;
    } else if (*key == "shape") {
      Expected<std::vector<int64_t>> value = parseShape();
      if (!value)
        return value.takeError();
      shape = std::move(*value);
      haveShape = true;
    } else {
      return error("unknown key '" + *key + "'");
    }
    if (!consume(',') && !peek('}'))
      return error("expected ',' or '}'");
  }
  skipSpace();
  if (pos_ != text_.size())
    return error("unexpected text after the dict");
  if (!haveDescr || !haveOrder || !haveShape)
    return error("missing 'descr', 'fortran_order' or 'shape'");
  return Error::success();
}

} // namespace

Expected<HostTensor> parseNpy(StringRef contents, StringRef source) {
  if (!contents.starts_with(kNpyMagic))
    return llvm::createStringError(source + ": not a .npy file (bad magic)");
  if (contents.size() < 10)
    return llvm::createStringError(source + ": truncated .npy header");
  unsigned major = uint8_t(contents[6]);
  size_t prefix = 0, headerLength = 0;
  const char *lengthField = contents.data() + 8;
  if (major == 1) {
    prefix = 10;
    headerLength = llvm::support::endian::read16le(lengthField);
  } else if (major == 2 || major == 3) {
    if (contents.size() < 12)
      return llvm::createStringError(source + ": truncated .npy header");
    prefix = 12;
    headerLength = llvm::support::endian::read32le(lengthField);
  } else {
    return llvm::createStringError(source + ": unsupported .npy format version " +
                     llvm::Twine(major) + "." +
                     llvm::Twine(unsigned(uint8_t(contents[7]))));
  }
  if (contents.size() - prefix < headerLength)
    return llvm::createStringError(source + ": truncated .npy header");

  std::string descr;
  bool fortranOrder = false;
  HostTensor tensor;
  NpyHeaderParser parser(contents.substr(prefix, headerLength), source);
  if (Error error = parser.parse(descr, fortranOrder, tensor.dims))
    return error;
  if (fortranOrder)
    return llvm::createStringError(source + ": Fortran-order arrays are not supported; "
                              "save np.ascontiguousarray(arr) instead");
  Expected<qc_dtype_t> dtype =
      dtypeFromDescr(descr, source, tensor.voidElements);
  if (!dtype)
    return dtype.takeError();
  tensor.dtype = *dtype;

  std::optional<uint64_t> size = byteSizeOf(tensor.dims, dtypeSize(*dtype));
  if (!size)
    return llvm::createStringError(source + ": shape " + formatType(*dtype, tensor.dims) +
                     " is too large");
  StringRef data = contents.drop_front(prefix + headerLength);
  if (data.size() != *size)
    return llvm::createStringError(source + ": " + formatType(*dtype, tensor.dims) +
                     " needs " + llvm::Twine(*size) + " bytes of data, " +
                     (data.size() < *size ? "but the file is truncated at "
                                          : "but the file has ") +
                     llvm::Twine(data.size()));
  tensor.bytes.assign(data.bytes_begin(), data.bytes_end());
  return tensor;
}

Error resolveVoidElements(HostTensor &tensor, qc_dtype_t declared) {
  if (!tensor.voidElements)
    return Error::success();
  const DtypeInfo *info = findDtype(declared);
  size_t itemSize = dtypeSize(tensor.dtype);
  if (!info || info->npyKind != 'V')
    return llvm::createStringError(
        "input '" + tensor.name + "' is a numpy void array ('V" +
        llvm::Twine(itemSize) + "'), but the model's input is " +
        dtypeName(declared) +
        "; void arrays are read only for the types numpy lacks (bf16, "
        "float8, float4, int4, int2: ml_dtypes arrays)");
  if (info->size != itemSize)
    return llvm::createStringError(
        "input '" + tensor.name + "' is a numpy void array of " +
        llvm::Twine(itemSize) + "-byte elements, but the model's input is " +
        info->name + " (" + llvm::Twine(info->size) + " byte" +
        (info->size == 1 ? "" : "s") + " per element)");
  tensor.dtype = declared;
  tensor.voidElements = false;
  return Error::success();
}

namespace {
std::string npyHeader(const HostTensor &tensor) {
  std::string dict = "{'descr': '" + npyDescr(*findDtype(tensor.dtype)) +
                     "', 'fortran_order': False, 'shape': (";
  for (int64_t dim : tensor.dims)
    dict += std::to_string(dim) + (tensor.dims.size() == 1 ? "," : ", ");
  if (tensor.dims.size() > 1)
    dict.resize(dict.size() - 2);
  dict += "), }";
  // The header ends with '\n' and is padded with spaces so that the data
  // starts aligned. Version 1.0 stores its length in 16 bits, 2.0 in 32.
  size_t prefix = 10;
  size_t headerLength =
      llvm::alignTo(prefix + dict.size() + 1, kNpyAlignment) - prefix;
  if (headerLength > 0xFFFF) {
    prefix = 12;
    headerLength =
        llvm::alignTo(prefix + dict.size() + 1, kNpyAlignment) - prefix;
  }
  std::string header(kNpyMagic);
  header += char(prefix == 10 ? 1 : 2);
  header += char(0);
  char length[4];
  llvm::support::endian::write32le(length, uint32_t(headerLength));
  header.append(length, prefix == 10 ? 2 : 4);
  header += dict;
  header.append(headerLength - dict.size() - 1, ' ');
  header += '\n';
  return header;
}
} // namespace

Error writeNpy(llvm::raw_ostream &os, const HostTensor &tensor) {
  if (Error error = checkTensor(tensor))
    return error;
  os << npyHeader(tensor);
  os.write(reinterpret_cast<const char *>(tensor.bytes.data()),
           tensor.bytes.size());
  return Error::success();
}

//===----------------------------------------------------------------------===//
// .npz (zip)
//===----------------------------------------------------------------------===//

namespace {

constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint32_t kZip64EndSignature = 0x06064b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint16_t kZip64ExtraId = 0x0001;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kEndSize = 22;
constexpr size_t kZip64EndSize = 56;
constexpr size_t kZip64LocatorSize = 20;
constexpr uint16_t kFlagEncrypted = 0x1;
constexpr uint16_t kFlagUtf8 = 0x800;
constexpr uint16_t kMethodStored = 0;
// Version 2.0 of the format for plain entries, 4.5 for zip64.
constexpr uint16_t kVersionPlain = 20;
constexpr uint16_t kVersionZip64 = 45;
// 1980-01-01 00:00, the earliest DOS date: fixed so outputs are reproducible.
constexpr uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;

// Bounds-checked little-endian reads from the archive.
class ZipReader {
public:
  ZipReader(StringRef data, StringRef source) : data_(data), source_(source) {}

  template <typename T> bool read(uint64_t offset, T &value) const {
    if (offset > data_.size() || data_.size() - offset < sizeof(T))
      return false;
    value = llvm::support::endian::read<T, llvm::endianness::little>(
        data_.data() + offset);
    return true;
  }
  bool slice(uint64_t offset, uint64_t size, StringRef &out) const {
    if (offset > data_.size() || data_.size() - offset < size)
      return false;
    out = data_.substr(offset, size);
    return true;
  }
  Error error(const llvm::Twine &what) const {
    return llvm::createStringError(source_ + ": " + what);
  }
  StringRef data() const { return data_; }

private:
  StringRef data_;
  StringRef source_;
};

struct CentralDirectory {
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t entries = 0;
};

Expected<CentralDirectory> findCentralDirectory(const ZipReader &zip) {
  StringRef data = zip.data();
  // The end record is the last thing in the file, followed only by a
  // comment of at most 65535 bytes.
  if (data.size() < kEndSize)
    return zip.error("not an .npz file (too short for a zip archive)");
  uint64_t lowest = data.size() > kEndSize + 65535
                        ? data.size() - kEndSize - 65535
                        : 0;
  std::optional<uint64_t> end;
  for (uint64_t pos = data.size() - kEndSize + 1; pos-- > lowest;) {
    uint32_t signature = 0;
    if (zip.read(pos, signature) && signature == kEndSignature) {
      end = pos;
      break;
    }
  }
  if (!end)
    return zip.error("not an .npz file (no zip end-of-central-directory "
                     "record)");
  uint16_t disk = 0, cdDisk = 0, diskEntries = 0, entries = 0;
  uint32_t cdSize = 0, cdOffset = 0;
  zip.read(*end + 4, disk);
  zip.read(*end + 6, cdDisk);
  zip.read(*end + 8, diskEntries);
  zip.read(*end + 10, entries);
  zip.read(*end + 12, cdSize);
  zip.read(*end + 16, cdOffset);
  CentralDirectory directory{cdOffset, cdSize, entries};
  uint64_t disks = uint64_t(disk) + cdDisk;
  uint64_t entriesOnThisDisk = diskEntries;
  // Saturated fields mean the real values are in the zip64 end record, which
  // the zip64 locator just before the end record points to.
  if (entries == 0xFFFF || diskEntries == 0xFFFF || cdSize == 0xFFFFFFFF ||
      cdOffset == 0xFFFFFFFF) {
    uint32_t signature = 0;
    uint64_t recordOffset = 0;
    if (*end < kZip64LocatorSize ||
        !zip.read(*end - kZip64LocatorSize, signature) ||
        signature != kZip64LocatorSignature ||
        !zip.read(*end - kZip64LocatorSize + 8, recordOffset))
      return zip.error("damaged zip archive (missing zip64 end locator)");
    uint32_t disk64 = 0, cdDisk64 = 0;
    if (!zip.read(recordOffset, signature) ||
        signature != kZip64EndSignature ||
        !zip.read(recordOffset + 16, disk64) ||
        !zip.read(recordOffset + 20, cdDisk64) ||
        !zip.read(recordOffset + 24, entriesOnThisDisk) ||
        !zip.read(recordOffset + 32, directory.entries) ||
        !zip.read(recordOffset + 40, directory.size) ||
        !zip.read(recordOffset + 48, directory.offset))
      return zip.error("damaged zip archive (bad zip64 end record)");
    disks = uint64_t(disk64) + cdDisk64;
  }
  if (disks != 0 || entriesOnThisDisk != directory.entries)
    return zip.error("multi-part zip archives are not supported");
  StringRef unused;
  if (!zip.slice(directory.offset, directory.size, unused))
    return zip.error("damaged zip archive (central directory out of bounds)");
  return directory;
}

struct ZipEntry {
  std::string name;
  StringRef data;
};

// Applies the zip64 extra field: each 32-bit field saturated at 0xFFFFFFFF
// is replaced, in this order, by a 64-bit value from the extra field.
bool applyZip64Extra(StringRef extra, uint64_t &uncompressed,
                     uint64_t &compressed, uint64_t &localOffset) {
  ZipReader reader(extra, "");
  uint64_t pos = 0;
  uint16_t id = 0, size = 0;
  while (reader.read(pos, id) && reader.read(pos + 2, size)) {
    StringRef body;
    if (!reader.slice(pos + 4, size, body))
      return false;
    if (id == kZip64ExtraId) {
      ZipReader fields(body, "");
      uint64_t at = 0;
      for (uint64_t *value : {&uncompressed, &compressed, &localOffset}) {
        if (*value != 0xFFFFFFFF)
          continue;
        if (!fields.read(at, *value))
          return false;
        at += 8;
      }
      return true;
    }
    pos += 4 + uint64_t(size);
  }
  return true;
}

Expected<ZipEntry> readEntry(const ZipReader &zip, uint64_t &pos) {
  uint32_t signature = 0, crc = 0, compressed32 = 0, uncompressed32 = 0,
           localOffset32 = 0;
  uint16_t flags = 0, method = 0, nameLength = 0, extraLength = 0,
           commentLength = 0;
  if (!zip.read(pos, signature) || signature != kCentralHeaderSignature ||
      !zip.read(pos + 8, flags) || !zip.read(pos + 10, method) ||
      !zip.read(pos + 16, crc) || !zip.read(pos + 20, compressed32) ||
      !zip.read(pos + 24, uncompressed32) || !zip.read(pos + 28, nameLength) ||
      !zip.read(pos + 30, extraLength) || !zip.read(pos + 32, commentLength) ||
      !zip.read(pos + 42, localOffset32))
    return zip.error("damaged zip archive (bad central directory entry)");
  StringRef name, extra;
  if (!zip.slice(pos + kCentralHeaderSize, nameLength, name) ||
      !zip.slice(pos + kCentralHeaderSize + nameLength, extraLength, extra))
    return zip.error("damaged zip archive (bad central directory entry)");
  pos += kCentralHeaderSize + uint64_t(nameLength) + extraLength + commentLength;

  uint64_t compressed = compressed32, uncompressed = uncompressed32,
           localOffset = localOffset32;
  if (!applyZip64Extra(extra, uncompressed, compressed, localOffset))
    return zip.error("damaged zip archive (bad zip64 field for '" + name +
                     "')");
  if (flags & kFlagEncrypted)
    return zip.error("entry '" + name + "' is encrypted");
  if (method != kMethodStored)
    return zip.error("entry '" + name + "' is compressed (zip method " +
                     llvm::Twine(method) +
                     "); quantc reads uncompressed archives only: save "
                     "with np.savez, not np.savez_compressed");
  if (compressed != uncompressed)
    return zip.error("damaged zip archive (sizes of stored entry '" + name +
                     "' differ)");

  uint32_t localSignature = 0;
  uint16_t localNameLength = 0, localExtraLength = 0;
  if (!zip.read(localOffset, localSignature) ||
      localSignature != kLocalHeaderSignature ||
      !zip.read(localOffset + 26, localNameLength) ||
      !zip.read(localOffset + 28, localExtraLength))
    return zip.error("damaged zip archive (bad local header for '" + name +
                     "')");
  ZipEntry entry;
  entry.name = name.str();
  uint64_t dataOffset = localOffset + kLocalHeaderSize + localNameLength +
                        localExtraLength;
  if (!zip.slice(dataOffset, uncompressed, entry.data))
    return zip.error("truncated zip archive (entry '" + name +
                     "' extends past the end)");
  if (llvm::crc32(llvm::arrayRefFromStringRef(entry.data)) != crc)
    return zip.error("entry '" + name + "' is corrupt (CRC mismatch)");
  return entry;
}

} // namespace

Expected<std::vector<HostTensor>> parseNpz(StringRef contents,
                                           StringRef source) {
  ZipReader zip(contents, source);
  Expected<CentralDirectory> directory = findCentralDirectory(zip);
  if (!directory)
    return directory.takeError();
  std::vector<HostTensor> tensors;
  llvm::StringSet<> names;
  uint64_t pos = directory->offset;
  uint64_t end = directory->offset + directory->size;
  for (uint64_t i = 0; i < directory->entries; ++i) {
    if (pos >= end)
      return zip.error("damaged zip archive (central directory too short)");
    Expected<ZipEntry> entry = readEntry(zip, pos);
    if (!entry)
      return entry.takeError();
    // np.load names an array after its entry, minus ".npy".
    StringRef name = entry->name;
    name.consume_back(".npy");
    if (!names.insert(name).second)
      return zip.error("array '" + name + "' appears twice");
    std::string entrySource = (source + ": " + entry->name).str();
    Expected<HostTensor> tensor = parseNpy(entry->data, entrySource);
    if (!tensor)
      return tensor.takeError();
    tensor->name = name.str();
    tensors.push_back(std::move(*tensor));
  }
  return tensors;
}

namespace {

// Counts bytes so zip offsets can be recorded while streaming.
class ZipWriter {
public:
  explicit ZipWriter(llvm::raw_ostream &os) : os_(os) {}
  template <typename T> void write(T value) {
    char buffer[sizeof(T)];
    llvm::support::endian::write<T, llvm::endianness::little>(buffer, value);
    writeBytes(StringRef(buffer, sizeof(T)));
  }
  void writeBytes(StringRef bytes) {
    os_.write(bytes.data(), bytes.size());
    offset_ += bytes.size();
  }
  uint64_t offset() const { return offset_; }

private:
  llvm::raw_ostream &os_;
  uint64_t offset_ = 0;
};

struct WrittenEntry {
  std::string name;
  uint32_t crc;
  uint64_t size;
  uint64_t localOffset;
  bool zip64;
};

uint32_t saturate32(uint64_t value, bool zip64) {
  return zip64 ? 0xFFFFFFFF : uint32_t(value);
}

void writeLocalEntry(ZipWriter &zip, WrittenEntry &entry, StringRef header,
                     llvm::ArrayRef<uint8_t> data) {
  zip.write<uint32_t>(kLocalHeaderSignature);
  zip.write<uint16_t>(entry.zip64 ? kVersionZip64 : kVersionPlain);
  zip.write<uint16_t>(kFlagUtf8);
  zip.write<uint16_t>(kMethodStored);
  zip.write<uint16_t>(0); // time
  zip.write<uint16_t>(kDosDate);
  zip.write<uint32_t>(entry.crc);
  zip.write<uint32_t>(saturate32(entry.size, entry.zip64)); // compressed
  zip.write<uint32_t>(saturate32(entry.size, entry.zip64)); // uncompressed
  zip.write<uint16_t>(uint16_t(entry.name.size()));
  zip.write<uint16_t>(entry.zip64 ? 20 : 0);
  zip.writeBytes(entry.name);
  if (entry.zip64) {
    zip.write<uint16_t>(kZip64ExtraId);
    zip.write<uint16_t>(16);
    zip.write<uint64_t>(entry.size);
    zip.write<uint64_t>(entry.size);
  }
  zip.writeBytes(header);
  zip.writeBytes(llvm::toStringRef(data));
}

void writeCentralEntry(ZipWriter &zip, const WrittenEntry &entry) {
  zip.write<uint32_t>(kCentralHeaderSignature);
  zip.write<uint16_t>(entry.zip64 ? kVersionZip64 : kVersionPlain); // made by
  zip.write<uint16_t>(entry.zip64 ? kVersionZip64 : kVersionPlain); // needed
  zip.write<uint16_t>(kFlagUtf8);
  zip.write<uint16_t>(kMethodStored);
  zip.write<uint16_t>(0);
  zip.write<uint16_t>(kDosDate);
  zip.write<uint32_t>(entry.crc);
  zip.write<uint32_t>(saturate32(entry.size, entry.zip64));
  zip.write<uint32_t>(saturate32(entry.size, entry.zip64));
  zip.write<uint16_t>(uint16_t(entry.name.size()));
  zip.write<uint16_t>(entry.zip64 ? 28 : 0);
  zip.write<uint16_t>(0); // comment
  zip.write<uint16_t>(0); // disk
  zip.write<uint16_t>(0); // internal attributes
  zip.write<uint32_t>(0); // external attributes
  zip.write<uint32_t>(saturate32(entry.localOffset, entry.zip64));
  zip.writeBytes(entry.name);
  if (entry.zip64) {
    zip.write<uint16_t>(kZip64ExtraId);
    zip.write<uint16_t>(24);
    zip.write<uint64_t>(entry.size);
    zip.write<uint64_t>(entry.size);
    zip.write<uint64_t>(entry.localOffset);
  }
}

void writeEnd(ZipWriter &zip, uint64_t entries, uint64_t cdOffset,
              uint64_t cdSize, bool forceZip64) {
  bool zip64 = forceZip64 || entries >= 0xFFFF || cdOffset >= 0xFFFFFFFF ||
               cdSize >= 0xFFFFFFFF;
  if (zip64) {
    uint64_t recordOffset = zip.offset();
    zip.write<uint32_t>(kZip64EndSignature);
    zip.write<uint64_t>(kZip64EndSize - 12); // size of the rest
    zip.write<uint16_t>(kVersionZip64);
    zip.write<uint16_t>(kVersionZip64);
    zip.write<uint32_t>(0);
    zip.write<uint32_t>(0);
    zip.write<uint64_t>(entries);
    zip.write<uint64_t>(entries);
    zip.write<uint64_t>(cdSize);
    zip.write<uint64_t>(cdOffset);
    zip.write<uint32_t>(kZip64LocatorSignature);
    zip.write<uint32_t>(0);
    zip.write<uint64_t>(recordOffset);
    zip.write<uint32_t>(1); // total disks
  }
  zip.write<uint32_t>(kEndSignature);
  zip.write<uint16_t>(0);
  zip.write<uint16_t>(0);
  zip.write<uint16_t>(zip64 ? 0xFFFF : uint16_t(entries));
  zip.write<uint16_t>(zip64 ? 0xFFFF : uint16_t(entries));
  zip.write<uint32_t>(saturate32(cdSize, zip64));
  zip.write<uint32_t>(saturate32(cdOffset, zip64));
  zip.write<uint16_t>(0); // comment
}

} // namespace

Error writeNpz(llvm::raw_ostream &os, llvm::ArrayRef<HostTensor> tensors,
               bool forceZip64) {
  // Check everything first so an error never leaves half an archive.
  llvm::StringSet<> names;
  for (const HostTensor &tensor : tensors) {
    if (tensor.name.empty())
      return llvm::createStringError("cannot write an unnamed tensor to an .npz file");
    if (tensor.name.size() + 4 > 0xFFFF)
      return llvm::createStringError("tensor name '" + StringRef(tensor.name).take_front(64) +
                       "...' is too long for an .npz file");
    if (!names.insert(tensor.name).second)
      return llvm::createStringError("two tensors are named '" + tensor.name + "'");
    if (Error error = checkTensor(tensor))
      return error;
  }
  ZipWriter zip(os);
  std::vector<WrittenEntry> entries;
  for (const HostTensor &tensor : tensors) {
    std::string header = npyHeader(tensor);
    WrittenEntry entry;
    entry.name = tensor.name + ".npy";
    entry.crc = llvm::crc32(llvm::arrayRefFromStringRef(header));
    // zlib's crc32 treats a NULL buffer (an empty vector's data()) as a
    // request for the initial value, so an empty tensor must be skipped.
    if (!tensor.bytes.empty())
      entry.crc = llvm::crc32(entry.crc, tensor.bytes);
    entry.size = header.size() + tensor.bytes.size();
    entry.localOffset = zip.offset();
    entry.zip64 = forceZip64 || entry.size >= 0xFFFFFFFF ||
                  entry.localOffset >= 0xFFFFFFFF;
    writeLocalEntry(zip, entry, header, tensor.bytes);
    entries.push_back(std::move(entry));
  }
  uint64_t cdOffset = zip.offset();
  for (const WrittenEntry &entry : entries)
    writeCentralEntry(zip, entry);
  writeEnd(zip, entries.size(), cdOffset, zip.offset() - cdOffset, forceZip64);
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

namespace {
Expected<std::unique_ptr<llvm::MemoryBuffer>> readFile(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError("cannot read '" + path + "': " +
                     buffer.getError().message());
  return std::move(*buffer);
}
} // namespace

Expected<HostTensor> readNpy(StringRef path) {
  Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer = readFile(path);
  if (!buffer)
    return buffer.takeError();
  return parseNpy((*buffer)->getBuffer(), path);
}

Expected<std::vector<HostTensor>> readNpz(StringRef path) {
  Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer = readFile(path);
  if (!buffer)
    return buffer.takeError();
  return parseNpz((*buffer)->getBuffer(), path);
}

Error writeNpy(StringRef path, const HostTensor &tensor) {
  if (Error error = checkTensor(tensor))
    return error;
  return llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    return writeNpy(os, tensor);
  });
}

Error writeNpz(StringRef path, llvm::ArrayRef<HostTensor> tensors) {
  return llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    return writeNpz(os, tensors, /*forceZip64=*/false);
  });
}

} // namespace quantc
