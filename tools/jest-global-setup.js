// Before any spec runs, in jest's own process (worker processes and the CLIs specs spawn inherit it):
// Nx runs targets with FORCE_COLOR set, which would colour the CLI's plain output that specs read.
export default function globalSetup() {
  delete process.env.FORCE_COLOR;
}
