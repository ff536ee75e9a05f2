#!/usr/bin/env python3
"""Can this machine make mcpaudit's sandbox? An independent probe for the test suites.

The suites used to decide whether to skip by running `mcpaudit trace` and reading its
failure, so a broken tracer made them skip (and ctest count a pass). This script never runs
mcpaudit: it repeats, with its own code, the kernel operations tracer/sandbox.c needs, in a
throw-away child:
  unshare(net, mount, pid, ipc, uts), plus a user namespace with uid/gid maps when not root;
  in the new PID namespace's first process: mounts made private, a tmpfs on /tmp, a fresh
  /proc, sethostname, loopback up, and a packet socket (what libpcap captures with).
Run as root it probes the root sandbox; run it as nobody (setpriv) to probe the rootless one.

Usage: sandbox_probe.py          exit 0 and print "sandbox: ok", or exit 1 and print the
                                 step that failed with its errno and the system setting to blame.
Python 3 standard library only (ctypes for unshare/mount/sethostname).
"""

import ctypes
import errno
import fcntl
import os
import socket
import struct
import sys

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 0x4000, 1 << 18
PR_SET_DUMPABLE = 4
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
ETH_P_ALL = 0x0003

libc = ctypes.CDLL(None, use_errno=True)


class StepFailed(Exception):
    pass


def call(what, rc):
    """Raises StepFailed naming the step and errno when a libc call returned < 0."""
    if rc < 0:
        e = ctypes.get_errno()
        raise StepFailed(f"{what}: {os.strerror(e)} ({errno.errorcode.get(e, e)})")


def sysctl(path):
    try:
        with open(path) as fh:
            return int(fh.read().strip())
    except (OSError, ValueError):
        return None


def userns_hint():
    """The system setting that refuses unprivileged user namespaces, or ""."""
    if sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1:
        return " (kernel.apparmor_restrict_unprivileged_userns is 1)"
    if sysctl("/proc/sys/kernel/unprivileged_userns_clone") == 0:
        return " (kernel.unprivileged_userns_clone is 0)"
    if sysctl("/proc/sys/user/max_user_namespaces") == 0:
        return " (user.max_user_namespaces is 0)"
    return ""


def write_proc(path, text):
    try:
        with open(path, "w") as fh:
            fh.write(text)
    except OSError as e:
        if path.endswith("setgroups") and e.errno == errno.ENOENT:
            return
        raise StepFailed(f"write {path}: {e.strerror}") from None


def mount(src, target, fstype, flags, opts):
    call(f"mount {fstype or 'flags'} on {target}",
         libc.mount(src and src.encode(), target.encode(), fstype and fstype.encode(), ctypes.c_ulong(flags),
                    opts and opts.encode()))


def loopback_up():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        ifr = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(s, SIOCGIFFLAGS, ifr))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))
    except OSError as e:
        raise StepFailed(f"bring lo up in the new network namespace: {e.strerror}") from None
    finally:
        s.close()


def packet_socket():
    try:
        socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)).close()
    except OSError as e:
        raise StepFailed(f"packet socket (capture) in the new network namespace: {e.strerror}") from None


def pid1():
    """The new PID namespace's first process: the mount and network steps."""
    mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=1777")
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
    name = b"probe"
    call("sethostname", libc.sethostname(name, len(name)))
    loopback_up()
    packet_socket()


def setup(rootless, msg_w):
    flags = CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    uid, gid = os.getuid(), os.getgid()
    if rootless:
        libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # as sandbox.c: after a uid change
        flags |= CLONE_NEWUSER
    call("unshare(%snet, mount, pid, ipc, uts)" % ("user, " if rootless else ""), libc.unshare(flags))
    if rootless:
        write_proc("/proc/self/uid_map", f"0 {uid} 1\n")
        write_proc("/proc/self/setgroups", "deny")
        write_proc("/proc/self/gid_map", f"0 {gid} 1\n")
    pid = os.fork()
    if pid == 0:
        try:
            pid1()
        except StepFailed as e:
            os.write(msg_w, str(e).encode())
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def probe():
    """None when the sandbox can be made here, else why not."""
    rootless = os.geteuid() != 0
    msg_r, msg_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(msg_r)
        try:
            code = setup(rootless, msg_w)
        except StepFailed as e:
            os.write(msg_w, str(e).encode())
            code = 1
        except BaseException as e:  # anything else is a failed probe, never a pass
            os.write(msg_w, repr(e).encode())
            code = 1
        os._exit(code)
    os.close(msg_w)
    msg = b""
    while chunk := os.read(msg_r, 4096):
        msg += chunk
    os.close(msg_r)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return None
    who = f"as uid {os.geteuid()} (rootless)" if rootless else "as root"
    why = msg.decode(errors="replace") or f"probe exited {code}"
    return f"{who}: {why}{userns_hint() if rootless else ''}"


def main():
    why = probe()
    if why:
        print(f"sandbox: cannot be made {why}")
        return 1
    print("sandbox: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
