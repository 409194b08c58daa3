// The kernel's view of TCP connections (/proc/net/tcp), for what Node cannot report about its own sockets: whether
// keep-alive is on and when its first probe goes out.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface TcpConnection {
  localPort: number;
  remotePort: number;
  established: boolean;
  /** When the keep-alive timer is the one running: seconds to its next probe. */
  keepAliveIn?: number;
  inode: string;
}

/** IPv4 connections of the machine, or only those a process holds open. */
export function tcpConnections(pid?: number): TcpConnection[] {
  const inodes = pid === undefined ? undefined : new Set(readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
    } catch {
      return undefined; // closed meanwhile
    }
  }));
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1).filter((l) => l.trim()).map((line) => {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    const f = line.trim().split(/\s+/);
    const [tr, when] = (f[5] as string).split(':') as [string, string];
    return {
      localPort: parseInt((f[1] as string).split(':')[1] as string, 16),
      remotePort: parseInt((f[2] as string).split(':')[1] as string, 16),
      established: f[3] === '01',
      // Timer 2 is keep-alive; its count is in USER_HZ (1/100 s).
      ...(tr === '02' ? { keepAliveIn: parseInt(when, 16) / 100 } : {}),
      inode: f[9] as string,
    };
  }).filter((c) => !inodes || inodes.has(c.inode));
}
