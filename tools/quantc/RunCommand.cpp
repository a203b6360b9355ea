//===- RunCommand.cpp - `quantc run`: run a compiled library --------------===//
//
//   quantc run LIB.so --input NAME=FILE.npy [--input FILE.npz ...] [-o OUT.npz]
//
// Loads a library written by `quantc compile`, binds inputs from numpy files
// by name, runs the model once and writes every output to an .npz file or
// prints a short summary of each.
//
//===----------------------------------------------------------------------===//

#include "tools/quantc/Commands.h"
#include "tools/quantc/LoadedLibrary.h"
#include "tools/quantc/NpyFile.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace cl = llvm::cl;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

namespace quantc {

// Declared before the options below, which refer to it: within one file,
// globals are constructed in order.
cl::SubCommand runSubcommand(
    "run",
    "Run a library built by `quantc compile` once.\n\n"
    "  quantc run libmodel.so --input x=x.npy [--input more.npz] "
    "[-o out.npz]\n\n"
    "Every model input is given exactly once, by name: NAME=FILE.npy binds\n"
    "one array; FILE.npz (from np.savez) binds each of its arrays to the\n"
    "input of the same name; a bare FILE.npy is enough for a model with a\n"
    "single input. Outputs go to an .npz file under their ONNX names (-o),\n"
    "or are summarised on stdout.");

namespace {

cl::opt<std::string> libraryPath(cl::Positional, cl::Required,
                                 cl::desc("<library.so>"),
                                 cl::sub(runSubcommand));

cl::list<std::string>
    inputSpecs("input",
               cl::desc("Bind a model input: NAME=FILE.npy, or FILE.npz for "
                        "all its arrays by name (repeatable)"),
               cl::value_desc("NAME=FILE.npy|FILE.npz"),
               cl::sub(runSubcommand));

cl::opt<std::string>
    outputPath("o",
               cl::desc("Write the outputs to this .npz file, keyed by ONNX "
                        "name ('-' for stdout); default: print a summary"),
               cl::value_desc("OUT.npz"), cl::sub(runSubcommand));

cl::opt<unsigned>
    shownValues("show-values",
                cl::desc("Leading values printed per output in the summary"),
                cl::init(8), cl::sub(runSubcommand));

cl::opt<int> threadCount(
    "threads",
    cl::desc("Threads the run uses (the calling thread included; default 1)"),
    cl::init(1), cl::sub(runSubcommand));

std::string quotedNames(llvm::ArrayRef<TensorInfo> infos) {
  std::string text;
  for (const TensorInfo &info : infos)
    text += (text.empty() ? "'" : ", '") + info.name + "'";
  return text.empty() ? "(none)" : text;
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

bool isNpz(StringRef contents) { return contents.starts_with("PK"); }

// Reads every --input into named tensors, rejecting a name given twice.
Expected<std::vector<HostTensor>> readInputs(const LoadedLibrary &library) {
  std::vector<HostTensor> tensors;
  llvm::StringMap<std::string> sources; // input name -> the --input naming it
  auto add = [&](HostTensor tensor, StringRef spec) -> Error {
    auto [it, inserted] = sources.try_emplace(tensor.name, spec.str());
    if (!inserted)
      return llvm::createStringError("input '" + tensor.name + "' is given twice (by '" +
                       it->second + "' and '" + spec + "')");
    tensors.push_back(std::move(tensor));
    return Error::success();
  };

  for (StringRef spec : inputSpecs) {
    auto [name, path] = spec.split('=');
    bool named = spec.contains('=');
    if (!named)
      path = spec;
    if (named && name.empty())
      return llvm::createStringError("--input '" + spec + "': the name before '=' is empty");
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
        llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                    /*RequiresNullTerminator=*/false);
    if (!buffer)
      return llvm::createStringError("cannot read '" + path +
                       "': " + buffer.getError().message());
    StringRef contents = (*buffer)->getBuffer();

    if (isNpz(contents)) {
      if (named)
        return llvm::createStringError("--input '" + spec + "': '" + path +
                         "' is an .npz archive; pass it without 'NAME=' to "
                         "bind its arrays by their own names");
      Expected<std::vector<HostTensor>> archive = parseNpz(contents, path);
      if (!archive)
        return archive.takeError();
      for (HostTensor &tensor : *archive)
        if (Error error = add(std::move(tensor), spec))
          return error;
      continue;
    }

    Expected<HostTensor> tensor = parseNpy(contents, path);
    if (!tensor)
      return tensor.takeError();
    if (named) {
      tensor->name = name.str();
    } else if (library.inputs().size() == 1) {
      tensor->name = library.inputs().front().name;
    } else {
      return llvm::createStringError("--input '" + spec +
                       "': a .npy file holds one unnamed array; say which "
                       "input it is with --input NAME=" +
                       path + " (the model's inputs are " +
                       quotedNames(library.inputs()) + ")");
    }
    if (Error error = add(std::move(*tensor), spec))
      return error;
  }
  return tensors;
}

//===----------------------------------------------------------------------===//
// Output summary
//===----------------------------------------------------------------------===//

// IEEE half to float; no library needed for 16 bits.
float halfToFloat(uint16_t half) {
  uint32_t sign = uint32_t(half >> 15) << 31;
  int exponent = (half >> 10) & 0x1F;
  uint32_t mantissa = half & 0x3FF;
  float magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(float(mantissa), -24); // zero or subnormal
  else if (exponent == 31)
    magnitude = mantissa ? std::numeric_limits<float>::quiet_NaN()
                         : std::numeric_limits<float>::infinity();
  else
    magnitude = std::ldexp(float(mantissa | 0x400), exponent - 25);
  return sign ? -magnitude : magnitude;
}

/// The value of a float format numpy lacks, from its bits.
double smallFloatToDouble(const llvm::fltSemantics &semantics, uint64_t bits,
                          unsigned width) {
  llvm::APFloat value(semantics, llvm::APInt(width, bits));
  bool lossy;
  value.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
                &lossy);
  return value.convertToDouble();
}

double elementAsDouble(const HostTensor &tensor, size_t index) {
  namespace endian = llvm::support::endian;
  const uint8_t *p = tensor.bytes.data() + index * dtypeSize(tensor.dtype);
  switch (tensor.dtype) {
  case QC_DTYPE_F32: {
    uint32_t bits = endian::read32le(p);
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  }
  case QC_DTYPE_F64: {
    uint64_t bits = endian::read64le(p);
    double value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  }
  case QC_DTYPE_F16:
    return halfToFloat(endian::read16le(p));
  case QC_DTYPE_I8:
    return int8_t(*p);
  case QC_DTYPE_I16:
    return int16_t(endian::read16le(p));
  case QC_DTYPE_I32:
    return int32_t(endian::read32le(p));
  case QC_DTYPE_I64:
    return double(int64_t(endian::read64le(p)));
  case QC_DTYPE_U8:
  case QC_DTYPE_BOOL:
    return *p;
  case QC_DTYPE_U16:
    return endian::read16le(p);
  case QC_DTYPE_U32:
    return endian::read32le(p);
  case QC_DTYPE_U64:
    return double(endian::read64le(p));
  case QC_DTYPE_BF16:
    return smallFloatToDouble(llvm::APFloat::BFloat(), endian::read16le(p), 16);
  case QC_DTYPE_F8E4M3FN:
    return smallFloatToDouble(llvm::APFloat::Float8E4M3FN(), *p, 8);
  case QC_DTYPE_F8E4M3FNUZ:
    return smallFloatToDouble(llvm::APFloat::Float8E4M3FNUZ(), *p, 8);
  case QC_DTYPE_F8E5M2:
    return smallFloatToDouble(llvm::APFloat::Float8E5M2(), *p, 8);
  case QC_DTYPE_F8E5M2FNUZ:
    return smallFloatToDouble(llvm::APFloat::Float8E5M2FNUZ(), *p, 8);
  case QC_DTYPE_F8E8M0:
    return smallFloatToDouble(llvm::APFloat::Float8E8M0FNU(), *p, 8);
  case QC_DTYPE_F4E2M1:
    return smallFloatToDouble(llvm::APFloat::Float4E2M1FN(), *p & 0xF, 4);
  case QC_DTYPE_I4:
    return llvm::SignExtend32<4>(*p);
  case QC_DTYPE_I2:
    return llvm::SignExtend32<2>(*p);
  case QC_DTYPE_U4:
    return *p & 0xF;
  case QC_DTYPE_U2:
    return *p & 0x3;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

void printValue(llvm::raw_ostream &os, const HostTensor &tensor,
                size_t index) {
  namespace endian = llvm::support::endian;
  const uint8_t *p = tensor.bytes.data() + index * dtypeSize(tensor.dtype);
  // 64-bit integers are printed exactly, not through a double.
  if (tensor.dtype == QC_DTYPE_I64)
    os << int64_t(endian::read64le(p));
  else if (tensor.dtype == QC_DTYPE_U64)
    os << endian::read64le(p);
  else if (tensor.dtype == QC_DTYPE_BOOL)
    os << (*p ? "true" : "false");
  else
    os << llvm::format("%g", elementAsDouble(tensor, index));
}

void printSummary(llvm::raw_ostream &os, const HostTensor &tensor) {
  os << tensor.name << ": " << formatType(tensor.dtype, tensor.dims);
  size_t count = size_t(tensor.numElements());
  if (count == 0) {
    os << "  (empty)\n";
    return;
  }
  double min = std::numeric_limits<double>::infinity();
  double max = -min, sum = 0;
  size_t nans = 0;
  for (size_t i = 0; i < count; ++i) {
    double value = elementAsDouble(tensor, i);
    if (std::isnan(value)) {
      ++nans;
      continue;
    }
    min = std::min(min, value);
    max = std::max(max, value);
    sum += value;
  }
  if (nans < count)
    os << llvm::format("  min %g  max %g  mean %g", min, max,
                       sum / double(count - nans));
  if (nans)
    os << "  NaN " << nans;
  os << "\n  [";
  size_t shown = std::min<size_t>(count, shownValues);
  for (size_t i = 0; i < shown; ++i) {
    if (i)
      os << ", ";
    printValue(os, tensor, i);
  }
  if (shown < count)
    os << (shown ? ", ..." : "...");
  os << "]\n";
}

Error runCommand() {
  Expected<std::unique_ptr<LoadedLibrary>> library =
      LoadedLibrary::open(libraryPath);
  if (!library)
    return library.takeError();
  if (threadCount < 1)
    return llvm::createStringError("--threads must be at least 1");
  if (Error error = (*library)->setThreads(threadCount))
    return error;
  if (inputSpecs.empty() && !(*library)->inputs().empty())
    return llvm::createStringError("no inputs given; the model's inputs are " +
                     quotedNames((*library)->inputs()) +
                     ": pass each with --input NAME=FILE.npy, or all at once "
                     "with --input FILE.npz");
  Expected<std::vector<HostTensor>> inputs = readInputs(**library);
  if (!inputs)
    return inputs.takeError();
  Expected<std::vector<HostTensor>> outputs = (*library)->run(*inputs);
  if (!outputs)
    return outputs.takeError();
  if (!outputPath.empty())
    return writeNpz(outputPath, *outputs);
  for (const HostTensor &output : *outputs)
    printSummary(llvm::outs(), output);
  return Error::success();
}

} // namespace

int runRunCommand() {
  if (Error error = runCommand()) {
    llvm::outs().flush();
    llvm::errs() << "quantc run: error: " << toString(std::move(error))
                 << "\n";
    return 1;
  }
  return 0;
}

} // namespace quantc
