package offline

// diskWritten is how many bytes the memory has written to disk so far.
func diskWritten() int64 { return written.Load() }
