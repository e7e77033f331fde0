// fwctl binding: open/close, FWCTL_INFO and FWCTL_RPC on /dev/fwctl/fwctlN.
//
// Every call exists twice: async on the libuv pool (Napi::AsyncWorker, for the
// host) and sync (for the benchmark and tiny tools). Results follow the kernel
// convention: a value >= 0 on success, -errno on failure, with errno read right
// after the syscall on the thread that made it. Mapping errno to words is done
// in TypeScript (electron/host/fwctl/errno.ts).
//
// Only JS-allocated typed arrays cross the boundary, never external buffers
// (Electron's V8 memory cage forbids them). The async calls copy the input in
// and the output out on the JS thread, so the pool thread never touches JS
// memory that script could change or detach meanwhile.

#include <napi.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vector>

namespace {

// include/uapi/fwctl/fwctl.h (Linux >= 6.15). Spelled out here because the
// build machine's own kernel headers may predate fwctl; the layout conformance
// test checks native/uapi.ts against the real header, and the asserts below
// keep this file in step with it.
constexpr unsigned long kFwctlInfo = 0x9A00;  // _IO(0x9A, 0)
constexpr unsigned long kFwctlRpc = 0x9A01;   // _IO(0x9A, 1)

struct FwctlInfo {
  uint32_t size;
  uint32_t flags;
  uint32_t out_device_type;
  uint32_t device_data_len;
  uint64_t out_device_data __attribute__((aligned(8)));
};
struct FwctlRpc {
  uint32_t size;
  uint32_t scope;
  uint32_t in_len;
  uint32_t out_len;
  uint64_t in __attribute__((aligned(8)));
  uint64_t out __attribute__((aligned(8)));
};
static_assert(sizeof(FwctlInfo) == 24, "struct fwctl_info is 24 bytes");
static_assert(offsetof(FwctlInfo, out_device_data) == 16, "fwctl_info.out_device_data at 16");
static_assert(sizeof(FwctlRpc) == 32, "struct fwctl_rpc is 32 bytes");
static_assert(offsetof(FwctlRpc, in) == 16 && offsetof(FwctlRpc, out) == 24, "fwctl_rpc in/out at 16/24");

// ---- the syscalls, shared by the sync and async paths ----

int64_t DoOpen(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  return fd < 0 ? -static_cast<int64_t>(errno) : fd;
}

int64_t DoClose(int fd) {
  return ::close(fd) < 0 ? -static_cast<int64_t>(errno) : 0;
}

// Returns 0 or -errno; fills type and data_len (the device's full blob size).
int64_t DoInfo(int fd, uint8_t* data, uint32_t data_cap, uint32_t* type, uint32_t* data_len) {
  FwctlInfo info{};
  info.size = sizeof(info);
  info.device_data_len = data_cap;
  info.out_device_data = reinterpret_cast<uintptr_t>(data);
  if (::ioctl(fd, kFwctlInfo, &info) < 0) return -static_cast<int64_t>(errno);
  *type = info.out_device_type;
  *data_len = info.device_data_len;
  return 0;
}

// Returns the out_len the kernel reported back, or -errno.
int64_t DoRpc(int fd, uint32_t scope, const uint8_t* in, uint32_t in_len, uint8_t* out, uint32_t out_len) {
  FwctlRpc rpc{};
  rpc.size = sizeof(rpc);
  rpc.scope = scope;
  rpc.in_len = in_len;
  rpc.out_len = out_len;
  rpc.in = reinterpret_cast<uintptr_t>(in);
  rpc.out = reinterpret_cast<uintptr_t>(out);
  if (::ioctl(fd, kFwctlRpc, &rpc) < 0) return -static_cast<int64_t>(errno);
  return rpc.out_len;
}

// ---- argument helpers ----

bool ArgFd(const Napi::CallbackInfo& cb, size_t i, int* fd) {
  if (cb.Length() <= i || !cb[i].IsNumber()) {
    Napi::TypeError::New(cb.Env(), "fwctl: argument " + std::to_string(i) + " must be a file descriptor").ThrowAsJavaScriptException();
    return false;
  }
  *fd = cb[i].As<Napi::Number>().Int32Value();
  return true;
}

bool ArgU32(const Napi::CallbackInfo& cb, size_t i, uint32_t* v) {
  if (cb.Length() <= i || !cb[i].IsNumber()) {
    Napi::TypeError::New(cb.Env(), "fwctl: argument " + std::to_string(i) + " must be a number").ThrowAsJavaScriptException();
    return false;
  }
  *v = cb[i].As<Napi::Number>().Uint32Value();
  return true;
}

bool ArgBytes(const Napi::CallbackInfo& cb, size_t i, Napi::Uint8Array* out) {
  if (cb.Length() <= i || !cb[i].IsTypedArray() ||
      cb[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(cb.Env(), "fwctl: argument " + std::to_string(i) + " must be a Uint8Array").ThrowAsJavaScriptException();
    return false;
  }
  *out = cb[i].As<Napi::Uint8Array>();
  return true;
}

bool ArgMeta(const Napi::CallbackInfo& cb, size_t i, Napi::Uint32Array* out) {
  if (cb.Length() <= i || !cb[i].IsTypedArray() ||
      cb[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array ||
      cb[i].As<Napi::Uint32Array>().ElementLength() < 2) {
    Napi::TypeError::New(cb.Env(), "fwctl: argument " + std::to_string(i) + " must be a Uint32Array of length >= 2").ThrowAsJavaScriptException();
    return false;
  }
  *out = cb[i].As<Napi::Uint32Array>();
  return true;
}

Napi::Value Num(Napi::Env env, int64_t v) { return Napi::Number::New(env, static_cast<double>(v)); }

// ---- sync calls ----

Napi::Value OpenSync(const Napi::CallbackInfo& cb) {
  if (cb.Length() < 1 || !cb[0].IsString()) {
    Napi::TypeError::New(cb.Env(), "fwctl: path must be a string").ThrowAsJavaScriptException();
    return cb.Env().Undefined();
  }
  return Num(cb.Env(), DoOpen(cb[0].As<Napi::String>().Utf8Value()));
}

Napi::Value CloseSync(const Napi::CallbackInfo& cb) {
  int fd;
  if (!ArgFd(cb, 0, &fd)) return cb.Env().Undefined();
  return Num(cb.Env(), DoClose(fd));
}

// infoSync(fd, deviceData: Uint8Array, meta: Uint32Array[2]) -> 0 | -errno;
// meta[0] = device type, meta[1] = the device data's full length.
Napi::Value InfoSync(const Napi::CallbackInfo& cb) {
  int fd;
  Napi::Uint8Array data;
  Napi::Uint32Array meta;
  if (!ArgFd(cb, 0, &fd) || !ArgBytes(cb, 1, &data) || !ArgMeta(cb, 2, &meta)) return cb.Env().Undefined();
  uint32_t type = 0, len = 0;
  int64_t r = DoInfo(fd, data.Data(), static_cast<uint32_t>(data.ByteLength()), &type, &len);
  if (r == 0) {
    meta[0] = type;
    meta[1] = len;
  }
  return Num(cb.Env(), r);
}

// rpcSync(fd, scope, input, output) -> out_len | -errno. in_len/out_len are
// the arrays' lengths; no size policy here (the transport applies it), so the
// kernel's own checks can be exercised.
Napi::Value RpcSync(const Napi::CallbackInfo& cb) {
  int fd;
  uint32_t scope;
  Napi::Uint8Array in, out;
  if (!ArgFd(cb, 0, &fd) || !ArgU32(cb, 1, &scope) || !ArgBytes(cb, 2, &in) || !ArgBytes(cb, 3, &out))
    return cb.Env().Undefined();
  return Num(cb.Env(), DoRpc(fd, scope, in.Data(), static_cast<uint32_t>(in.ByteLength()), out.Data(),
                             static_cast<uint32_t>(out.ByteLength())));
}

// ---- async calls: one worker per call, resolved with the same numbers ----

class CallWorker : public Napi::AsyncWorker {
 public:
  explicit CallWorker(Napi::Env env) : Napi::AsyncWorker(env, "fwctl"), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void OnOK() override {
    Napi::HandleScope scope(Env());
    Finish();
    deferred_.Resolve(Num(Env(), result_));
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }
  virtual void Finish() {}
  int64_t result_ = 0;

 private:
  Napi::Promise::Deferred deferred_;
};

class OpenWorker : public CallWorker {
 public:
  OpenWorker(Napi::Env env, std::string path) : CallWorker(env), path_(std::move(path)) {}
  void Execute() override { result_ = DoOpen(path_); }

 private:
  std::string path_;
};

class CloseWorker : public CallWorker {
 public:
  CloseWorker(Napi::Env env, int fd) : CallWorker(env), fd_(fd) {}
  void Execute() override { result_ = DoClose(fd_); }

 private:
  int fd_;
};

class InfoWorker : public CallWorker {
 public:
  InfoWorker(Napi::Env env, int fd, Napi::Uint8Array data, Napi::Uint32Array meta)
      : CallWorker(env), fd_(fd), data_(data.ByteLength()) {
    dataRef_ = Napi::Persistent(data);
    metaRef_ = Napi::Persistent(meta);
  }
  void Execute() override {
    result_ = DoInfo(fd_, data_.data(), static_cast<uint32_t>(data_.size()), &type_, &len_);
  }
  void Finish() override {
    if (result_ != 0) return;
    Napi::Uint8Array data = dataRef_.Value();
    Napi::Uint32Array meta = metaRef_.Value();
    size_t n = std::min<size_t>({data.ByteLength(), data_.size(), len_});
    if (n) std::memcpy(data.Data(), data_.data(), n);
    meta[0] = type_;
    meta[1] = len_;
  }

 private:
  int fd_;
  std::vector<uint8_t> data_;
  uint32_t type_ = 0, len_ = 0;
  Napi::Reference<Napi::Uint8Array> dataRef_;
  Napi::Reference<Napi::Uint32Array> metaRef_;
};

class RpcWorker : public CallWorker {
 public:
  RpcWorker(Napi::Env env, int fd, uint32_t scope, Napi::Uint8Array in, Napi::Uint8Array out)
      : CallWorker(env), fd_(fd), scope_(scope), in_(in.Data(), in.Data() + in.ByteLength()), out_(out.ByteLength()) {
    outRef_ = Napi::Persistent(out);
  }
  void Execute() override {
    result_ = DoRpc(fd_, scope_, in_.data(), static_cast<uint32_t>(in_.size()), out_.data(),
                    static_cast<uint32_t>(out_.size()));
  }
  void Finish() override {
    if (result_ < 0) return;
    Napi::Uint8Array out = outRef_.Value();
    size_t n = std::min<size_t>({out.ByteLength(), out_.size(), static_cast<size_t>(result_)});
    if (n) std::memcpy(out.Data(), out_.data(), n);
  }

 private:
  int fd_;
  uint32_t scope_;
  std::vector<uint8_t> in_, out_;
  Napi::Reference<Napi::Uint8Array> outRef_;
};

Napi::Value Open(const Napi::CallbackInfo& cb) {
  if (cb.Length() < 1 || !cb[0].IsString()) {
    Napi::TypeError::New(cb.Env(), "fwctl: path must be a string").ThrowAsJavaScriptException();
    return cb.Env().Undefined();
  }
  auto* w = new OpenWorker(cb.Env(), cb[0].As<Napi::String>().Utf8Value());
  auto p = w->Promise();
  w->Queue();
  return p;
}

Napi::Value Close(const Napi::CallbackInfo& cb) {
  int fd;
  if (!ArgFd(cb, 0, &fd)) return cb.Env().Undefined();
  auto* w = new CloseWorker(cb.Env(), fd);
  auto p = w->Promise();
  w->Queue();
  return p;
}

Napi::Value Info(const Napi::CallbackInfo& cb) {
  int fd;
  Napi::Uint8Array data;
  Napi::Uint32Array meta;
  if (!ArgFd(cb, 0, &fd) || !ArgBytes(cb, 1, &data) || !ArgMeta(cb, 2, &meta)) return cb.Env().Undefined();
  auto* w = new InfoWorker(cb.Env(), fd, data, meta);
  auto p = w->Promise();
  w->Queue();
  return p;
}

Napi::Value Rpc(const Napi::CallbackInfo& cb) {
  int fd;
  uint32_t scope;
  Napi::Uint8Array in, out;
  if (!ArgFd(cb, 0, &fd) || !ArgU32(cb, 1, &scope) || !ArgBytes(cb, 2, &in) || !ArgBytes(cb, 3, &out))
    return cb.Env().Undefined();
  auto* w = new RpcWorker(cb.Env(), fd, scope, in, out);
  auto p = w->Promise();
  w->Queue();
  return p;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("openSync", Napi::Function::New(env, OpenSync, "openSync"));
  exports.Set("closeSync", Napi::Function::New(env, CloseSync, "closeSync"));
  exports.Set("infoSync", Napi::Function::New(env, InfoSync, "infoSync"));
  exports.Set("rpcSync", Napi::Function::New(env, RpcSync, "rpcSync"));
  exports.Set("open", Napi::Function::New(env, Open, "open"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("rpc", Napi::Function::New(env, Rpc, "rpc"));
  exports.Set("FWCTL_INFO", Napi::Number::New(env, kFwctlInfo));
  exports.Set("FWCTL_RPC", Napi::Number::New(env, kFwctlRpc));
  return exports;
}

}  // namespace

NODE_API_MODULE(fwctl, Init)
