"""Run the emulator from the shell: ``python -m astroquery_sxps.testing --port 8765``."""
import argparse
import sys
import time

from .server import SXPSEmulator


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m astroquery_sxps.testing",
                                     description="Local emulator of the UKSSDC SXPS API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds each API call waits before answering")
    parser.add_argument("--file-latency", type=float, default=0.0,
                        help="seconds each file download waits before answering")
    args = parser.parse_args(argv)
    emulator = SXPSEmulator(host=args.host, port=args.port, latency=args.latency,
                            file_latency=args.file_latency).start()
    # the command line's output is its interface: the URL to point clients at
    sys.stdout.write(f"SXPS emulator listening; API endpoint: {emulator.api_url}\n"
                     "Use it with: SXPSClass(server=...) or conf.server; Ctrl-C to stop.\n")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
