import SyncHubCLI

await SyncHubMain.run()
