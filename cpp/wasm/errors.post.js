// Part of the binding layer (see bindings.cpp): turns the error a C++ entry point parked into a
// real JavaScript Error, thrown from JavaScript so no wasm frame is skipped. Runs once Embind has
// registered everything (onRuntimeInitialized), before any code awaiting the module resumes.
var userRuntimeInitialized = Module['onRuntimeInitialized'];
Module['onRuntimeInitialized'] = function () {
  installErrorWrappers();
  if (userRuntimeInitialized) userRuntimeInitialized();
};

function installErrorWrappers() {
  var takeError = Module['takeError'];
  function check() {
    var message = takeError();
    if (message) throw new Error(message);
  }
  function guard(fn) {
    return function () {
      var result = fn.apply(this, arguments);
      check();
      return result;
    };
  }
  ['runExperiment', 'landscapeCatalog', 'optimizerCatalog', 'catalog', 'checkFormula'].forEach(function (name) {
    Module[name] = guard(Module[name]);
  });
  var RawSession = Module['Session'];
  var proto = RawSession.prototype;
  Object.getOwnPropertyNames(proto).forEach(function (name) {
    var desc = Object.getOwnPropertyDescriptor(proto, name);
    if (typeof desc.value !== 'function' || name === 'constructor' || name === 'delete' ||
        name === 'clone' || name === 'isDeleted' || name === 'isAliasOf' || name === 'deleteLater') return;
    proto[name] = guard(desc.value);
  });
  function Session(spec) {
    var session = new RawSession(spec);
    var message = takeError();
    if (message) {
      session['delete']();
      throw new Error(message);
    }
    return session;
  }
  Session.prototype = proto;
  Module['Session'] = Session;
}
