# tests/golden/specs.json: the specs whose result bytes tests/wasm/golden_bytes.test.mjs pins
# (tests/golden/results.json): every fixture case, the fuzz corpus, the docs' examples, every
# landscape with every optimizer, formulas with each function, a 100k-step run and a divergence.
# Regenerate the hashes only from a build whose bytes are known right (see that test).
import json,glob,re,os
specs=[]
def add(name,s): specs.append({"name":name,"spec":s if isinstance(s,str) else json.dumps(s)})
for f in sorted(glob.glob('tests/fixtures/torch_*.json')):
    if 'hessian' in f: continue
    base=os.path.basename(f)[:-5]
    for c in json.load(open(f))['cases']:
        if 'spec' in c: s=c['spec']
        elif 'problem' in c: s={"problem":c['problem'],"steps":c['steps'],"optimizers":[c['optimizer']]}
        else: s={"problem":{"name":c['function']},"start":c['start'],"steps":c['steps'],"optimizers":[c['options']]}
        add(f"{base}/{c['case']}",s)
for f in sorted(glob.glob('tests/fuzz/corpus/spec_fuzz/*')):
    raw=open(f,'rb').read()
    try: text=raw.decode('utf8')
    except UnicodeDecodeError: continue  # not text: JavaScript and the CLI would not see the same input
    add("fuzz/"+os.path.basename(f),text)
for doc in ['docs/spec/experiment.md','README.md']:
    for i,b in enumerate(re.findall(r'```json\n(.*?)```',open(doc).read(),re.S)):
        add(f"{doc}#{i}",b)
lands=["quadratic","rosenbrock","beale","himmelblau","booth","saddle","rastrigin","ackley","styblinski_tang","six_hump_camel"]
opts=["sgd","adagrad","rmsprop","adam","adamw","adamax","nadam","radam","adadelta","rprop","asgd"]
for l in lands:
    for part,group in (("a",opts[:6]),("b",opts[6:])):
        add(f"cross/{l}/{part}",{"problem":{"name":l},"steps":400,"optimizers":[{"name":o,"lr":0.01} for o in group]})
    add(f"cross/{l}/noise",{"problem":{"name":l,"noise":0.5},"seed":3,"steps":300,"optimizers":[{"name":"sgd","lr":0.003,"momentum":0.9},{"name":"adam","lr":0.05,"amsgrad":True}]})
for e in ["(1-x)^2 + 100*(y-x^2)^2","sin(x)*cos(y) + 0.1*(x^2+y^2)","exp(-x^2-y^2) + x^3/3 - y","abs(x)^1.5 + sqrt(y^2+1) + log(x^2+2) + tanh(y)","x^y + 2^x + x^2.5","tan(x/3) + sigmoid(y)"]:
    for part,group in (("a",opts[:6]),("b",opts[6:])):
        add(f"expr/{e}/{part}",{"problem":{"expr":e},"start":[0.7,0.9],"steps":300,"optimizers":[{"name":o,"lr":0.02} for o in group]})
add("big/adam_100k",{"problem":{"name":"rosenbrock"},"start":[-1.5,2],"steps":100000,"optimizers":[{"name":"adam","lr":0.01}]})
add("diverge/sgd",{"problem":{"name":"rosenbrock"},"steps":200,"optimizers":[{"name":"sgd","lr":0.1},{"name":"sgd","lr":1e6,"label":"huge"}]})
json.dump(specs,open('tests/golden/specs.json','w'),indent=0)
print(len(specs))
