using System.Collections.Concurrent;
using MiniExcelLibs;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// Writes the errors workbook while the check runs: each failing row goes to the file as it is found, so none is kept in
/// memory and the upload is not read a second time for them (on a 1,000,000-row sheet that second read cost a third of the
/// check). MiniExcel pulls the rows it writes and the check pushes them between its database awaits, so the writing runs on
/// a thread of its own, started by the first failing row; a full queue makes the check wait for the file.
/// </summary>
internal sealed class ErrorsWorkbookWriter(string path) : IAsyncDisposable
{
    private const int Queued = 1024;

    private BlockingCollection<Dictionary<string, object?>>? _rows;
    private Task? _writing;
    private CancellationTokenSource? _failed;

    public void Add(Dictionary<string, object?> row, CancellationToken cancellationToken)
    {
        if (_rows is null)
        {
            var rows = _rows = new BlockingCollection<Dictionary<string, object?>>(Queued);
            var failed = _failed = new CancellationTokenSource();
            _writing = Task.Factory.StartNew(() =>
            {
                try
                {
                    MiniExcel.SaveAs(path, rows.GetConsumingEnumerable(), overwriteFile: true);
                }
                catch
                {
                    failed.Cancel(); // a check waiting on the full queue stops waiting, and CompleteAsync throws this
                    throw;
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _failed!.Token);
        try
        {
            _rows.Add(row, either.Token);
        }
        catch (OperationCanceledException) when (_failed.IsCancellationRequested)
        {
            _writing!.GetAwaiter().GetResult(); // the writing's own exception
            throw;
        }
    }

    /// <summary>Waits until every row is in the file; throws what the writing threw. Without rows, no file is written.</summary>
    public async Task CompleteAsync()
    {
        if (_rows is not null && _writing is not null)
        {
            _rows.CompleteAdding();
            try
            {
                await _writing;
            }
            catch
            {
                Forget();
                throw;
            }
        }
    }

    private void Forget()
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>After a check that stopped part-way: ends the writing and removes the unfinished file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_rows is null || _writing is null)
        {
            return;
        }
        if (!_rows.IsAddingCompleted)
        {
            _rows.CompleteAdding();
            try
            {
                await _writing;
            }
            catch (Exception)
            {
                // the check's own exception is the one to report
            }
            Forget();
        }
        _rows.Dispose();
        _failed?.Dispose();
    }
}
