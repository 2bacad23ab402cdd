# gdb's half of tools/trace-path: single-step the guest between two rdtsc
# instructions of a benchmark function and say where every instruction went.
# Run by tools/trace-path (which starts QEMU and passes the settings in the
# environment); gdb's own Python, so nothing more to install.
import bisect
import gdb
import os
import re
import struct
import subprocess
import sys


def say(text=""):
    """gdb prints every stop whatever it is told: the wrapper keeps only these lines."""
    for line in text.split("\n"):
        print("@@" + line)


kernel = os.environ["TRACE_KERNEL"]
users = os.environ["TRACE_USER"].split(",")
user = users[0]
function = os.environ["TRACE_FUNCTION"]
port = os.environ["TRACE_PORT"]
skip = int(os.environ.get("TRACE_SKIP", "2"))
divide = int(os.environ.get("TRACE_DIVIDE", "1"))
limit = int(os.environ.get("TRACE_LIMIT", "2000000"))
which = os.environ.get("TRACE_RDTSC", "")
span_from = os.environ.get("TRACE_FROM", "")
span_to = os.environ.get("TRACE_TO", "")
stages_spec = os.environ.get("TRACE_STAGES", "")

gdb.execute("set confirm off")
gdb.execute("set pagination off")
gdb.execute("set architecture i386")
gdb.execute("file " + kernel)
gdb.execute("add-symbol-file " + user, to_string=True)



def address_of(expr):
    """A gdb location: a symbol (its first instruction) or *ADDRESS."""
    value = gdb.parse_and_eval(expr[1:] if expr.startswith("*") else "&" + expr)
    return int(value.cast(gdb.lookup_type("unsigned int")))


if span_from:
    # --from/--to: the span is from one address to another, in any task (an
    # interrupt's stub to the first user instruction of the woken thread).
    start, stop = address_of(span_from), address_of(span_to)
    function = "%s to %s" % (span_from, span_to)
else:
    # The rdtsc instructions of the function: by default the last two, which
    # bracket the measured batch (the first ones measure the measuring).
    listing = gdb.execute("disassemble " + function, to_string=True)
    rdtscs = [int(m.group(1), 16) for m in re.finditer(r"^\s*(?:=>\s*)?(0x[0-9a-f]+)[^\n]*\trdtsc", listing, re.M)]
    if len(rdtscs) < 2:
        say("trace-path: %s has %d rdtsc instructions; need two" % (function, len(rdtscs)))
        gdb.execute("kill")
        sys.exit(1)
    if which:
        a, b = (int(x) for x in which.split(","))
        start, stop = rdtscs[a], rdtscs[b]
    else:
        start, stop = rdtscs[-2], rdtscs[-1]

gdb.execute("target remote localhost:" + port, to_string=True)
inferior = gdb.selected_inferior()


def at_rdtsc(pc):
    """A hardware breakpoint fires at that linear address in any task: make
    sure the instruction there is this task's rdtsc (--from/--to: any)."""
    return bool(span_from) or bytes(inferior.read_memory(pc, 2)) == b"\x0f\x31"


def pc_now():
    return int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFF


# User space: every program is linked at the same addresses, so a user
# address is named from the program whose address space it ran in.  Each
# address space (CR3) seen is matched, the first time, to the --user ELF
# whose bytes are at that address; its functions come from nm.
KERNBASE = 0xC0000000


class Program:
    def __init__(self, path):
        self.name = os.path.basename(path).rsplit(".", 1)[0]
        self.loads = []                    # (vaddr, file bytes)
        with open(path, "rb") as f:
            data = f.read()
        phoff, = struct.unpack_from("<I", data, 28)
        phentsize, phnum = struct.unpack_from("<HH", data, 42)
        for i in range(phnum):
            ptype, offset, vaddr, _, filesz = struct.unpack_from("<IIIII", data, phoff + i * phentsize)
            if ptype == 1:
                self.loads.append((vaddr, data[offset:offset + filesz]))
        self.addrs, self.funcs = [], []
        nm = subprocess.run(["nm", "-n", "--defined-only", path], capture_output=True, text=True).stdout
        for line in nm.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                self.addrs.append(int(parts[0], 16))
                self.funcs.append(parts[2])

    def holds(self, pc, code):
        for vaddr, body in self.loads:
            if vaddr <= pc and pc + len(code) <= vaddr + len(body):
                return body[pc - vaddr:pc - vaddr + len(code)] == code
        return False

    def function(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.funcs[i] if i >= 0 else "0x%x" % pc


programs = [Program(path) for path in users] if len(users) > 1 else []
space_program = {}                         # CR3 -> its Program, or None: none of them


def program_now(pc):
    cr3 = int(gdb.parse_and_eval("$cr3")) & 0xFFFFFFFF
    if cr3 not in space_program:
        try:
            code = bytes(inferior.read_memory(pc, 8))
        except gdb.MemoryError:            # not mapped yet: the fetch is about to fault
            return None
        space_program[cr3] = next((p for p in programs if p.holds(pc, code)), None)
    return space_program[cr3]


gdb.execute("hbreak *0x%x" % start, to_string=True)
hits = 0
while True:
    gdb.execute("continue", to_string=True)
    if pc_now() == start and at_rdtsc(start):
        hits += 1
        if hits > skip:
            break
gdb.execute("delete", to_string=True)

pcs = []
while len(pcs) < limit:
    gdb.execute("stepi", to_string=True)
    pc = pc_now()
    if pc == stop and at_rdtsc(pc):
        break
    if programs and pc < KERNBASE:
        prog = program_now(pc)
        pc = (pc, prog.name if prog else "user")
    pcs.append(pc)
if len(pcs) >= limit:
    say("trace-path: no second rdtsc within %d instructions" % limit)

# The first instruction traced is the rdtsc itself; the stop's is not counted.
names = {}


def where(pc):
    if isinstance(pc, tuple):              # (address, program) from several --user programs
        if pc not in names:
            prog = next((p for p in programs if p.name == pc[1]), None)
            names[pc] = ("%s:%s" % (pc[1], prog.function(pc[0]) if prog else "0x%x" % pc[0]), "")
        return names[pc]
    if pc not in names:
        block = gdb.block_for_pc(pc)
        while block is not None and block.function is None:
            block = block.superblock
        name = block.function.name if block is not None else "?"
        if name == "?":
            sym = gdb.execute("info symbol 0x%x" % pc, to_string=True).split()
            name = sym[0] if sym and sym[0] != "No" else "0x%x" % pc
        line = gdb.find_pc_line(pc)
        src = "%s:%d" % (os.path.basename(line.symtab.filename), line.line) if line.symtab else ""
        names[pc] = (name, src)
    return names[pc]


total = len(pcs)
say("trace-path: %s, rdtsc at 0x%x to 0x%x: %d instructions, %d per operation (/%d)"
      % (function, start, stop, total, total // divide, divide))

# Stages: NAME=func1,func2 ...; the rest is "other".
stages = []
for part in stages_spec.split():
    stage, _, funcs = part.partition("=")
    stages.append((stage, set(funcs.split(","))))
by_function = {}
for pc in pcs:
    by_function[where(pc)[0]] = by_function.get(where(pc)[0], 0) + 1
say("\nper function (instructions per operation):")
for name, n in sorted(by_function.items(), key=lambda kv: -kv[1]):
    say("  %-36s %8.1f" % (name, n / divide))
if stages:
    say("\nper stage (instructions per operation):")
    counted = {}
    for name, n in by_function.items():
        stage = next((s for s, funcs in stages if name in funcs), "other")
        counted[stage] = counted.get(stage, 0) + n
    for stage in [s for s, _ in stages] + ["other"]:
        if stage in counted:
            say("  %-36s %8.1f" % (stage, counted[stage] / divide))

# One operation, in order: runs of one function and its source lines.
say("\nthe first operation, in order (function, instructions, source lines):")
one = pcs[: max(1, total // divide)]
run = None
for pc in one + [None]:
    name, src = where(pc) if pc is not None else (None, "")
    if run and name == run[0]:
        run[1] += 1
        if src and src not in run[2]:
            run[2].append(src)
        continue
    if run:
        say("  %-32s %5d  %s" % (run[0], run[1], " ".join(run[2][:6]) + (" ..." if len(run[2]) > 6 else "")))
    run = [name, 1, [src] if src else []] if name else None
gdb.execute("kill", to_string=True)
