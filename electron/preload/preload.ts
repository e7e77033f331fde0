// The only thing the sandboxed renderer gets: send a request envelope, receive
// events. No Node, no ipcRenderer, no generic invoke.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_REQUEST } from '../main/window-policy';

const api = {
  request: (message: { id: number; channel: string; params: unknown }) => ipcRenderer.invoke(IPC_REQUEST, message),
  onEvent: (listener: (event: unknown) => void) => {
    const l = (_e: IpcRendererEvent, event: unknown) => listener(event);
    ipcRenderer.on(IPC_EVENT, l);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, l);
    };
  },
};

contextBridge.exposeInMainWorld('fwbench', api);
export type PreloadApi = typeof api;
