from bank.persistence import PollingSQLiteProcessRecorder


class TestPollingSQLiteProcessRecorder(ProcessRecorderTestCase):
    def create_recorder(self):
        recorder = PollingSQLiteProcessRecorder(SQLiteDatastore(":memory:"))
        recorder.create_table()
        return recorder
