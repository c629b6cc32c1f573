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
  // Embind encodes a string as UTF-8, and a lone surrogate half would swallow the character after
  // it; such text is refused before it crosses (JSON.stringify escapes them, so only raw calls can).
  var loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  function checkText(args) {
    for (var i = 0; i < args.length; i++) {
      var a = args[i];
      if (typeof a === 'string' && loneSurrogate.test(a)) {
        throw new Error('text is not well-formed Unicode: it holds a lone surrogate (\\u' +
                        a.match(loneSurrogate)[0].slice(-1).charCodeAt(0).toString(16) + ')');
      }
    }
  }
  function guard(fn) {
    return function () {
      checkText(arguments);
      var result = fn.apply(this, arguments);
      check();
      return result;
    };
  }
  ['runExperiment', 'hessian', 'lrSchedule', 'momentumPhase', 'checkSpec', 'landscapeCatalog', 'optimizerCatalog', 'catalog', 'checkFormula', 'parseCsv', 'torchScript'].forEach(function (name) {
    Module[name] = guard(Module[name]);
  });
  // Each class: its methods guarded, and a constructor that deletes a handle whose C++ side failed
  // to construct and throws the parked message.
  function wrapClass(className) {
    var Raw = Module[className];
    var proto = Raw.prototype;
    Object.getOwnPropertyNames(proto).forEach(function (name) {
      var desc = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof desc.value !== 'function' || name === 'constructor' || name === 'delete' ||
          name === 'clone' || name === 'isDeleted' || name === 'isAliasOf' || name === 'deleteLater') return;
      proto[name] = guard(desc.value);
    });
    function Wrapped(arg) {
      checkText(arguments);
      var handle = new Raw(arg);
      var message = takeError();
      if (message) {
        handle['delete']();
        throw new Error(message);
      }
      return handle;
    }
    Wrapped.prototype = proto;
    Module[className] = Wrapped;
  }
  wrapClass('Session');
  wrapClass('MapJob');
}
