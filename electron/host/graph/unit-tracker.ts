// Keeps a USB unit's id across re-enumeration when the boot loader reports no
// serial number: the port path it was last seen on maps back to the id it had.
import type { DeviceUnit } from '../../contract/channels';

export class UnitTracker {
  private readonly idByPort = new Map<string, string>();

  /** Rewrites serial-less USB units to the id last seen on their port; remembers ids by port. */
  resolve(units: DeviceUnit[]): DeviceUnit[] {
    return units.map((u) => {
      const port = u.kind === 'usb' ? u.identity.usbPort : undefined;
      if (!port) return u;
      if (u.identity.usbSerial) {
        this.idByPort.set(port, u.id);
        return u;
      }
      const known = this.idByPort.get(port);
      return known && known !== u.id ? { ...u, id: known } : u;
    });
  }
}
